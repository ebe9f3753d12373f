import type { ConversationKey, RouteDecision } from '@gw/routing-core';

/** A finished request's timings (`performance.now()` readings) and what it learnt, beyond its request-log event. */
export interface RequestSpanFacts {
  startedAt: number;
  /** First bytes of the answer sent to the client. */
  firstByteAt?: number;
  /** Set when an upstream call was made. */
  upstreamStartedAt?: number;
  /** When a whole answer's body was in; a stream's call ends with the request. */
  upstreamEndedAt?: number;
  conversation?: ConversationKey;
  decision?: RouteDecision;
  responseId?: string;
  responseModel?: string;
  finishReasons?: string[];
}
