import type { CapturedBodies, RequestFinishedEvent, VerifiedApiKey } from '@gw/contracts';
import { KEY_SHAPES_ONLY, type GatewayError, type IrStreamEvent, type IrUsage, type SecretRedactor } from '@gw/ir';
import type { RouteDecision, ConversationKey } from '@gw/routing-core';
import type { RequestSpanFacts } from '../trace/request-span-facts';
import { redactorFor } from './channel-redactor';

/** Accumulates what one request did, for its request-log row; turned into a trace event when it ends. */
export class RequestRecord {
  private readonly startedAt = performance.now();
  private readonly startedAtMs = Date.now();
  private firstByteAt?: number;
  private key?: VerifiedApiKey;
  private conversation?: ConversationKey;
  private requestedModel: string | null = null;
  /** `AH-Thread-Id`: groups several conversations (traces) into one thread. */
  private threadKey: string | null = null;
  private decision?: RouteDecision;
  private usage?: IrUsage;
  private status = 200;
  private error?: GatewayError;
  /** The upstream call: when it was sent and, for whole answers, when its body was in (`performance.now()`). */
  private upstreamStartedAt?: number;
  private upstreamEndedAt?: number;
  /** What the upstream said it answered with (ids and models of its own, finish reasons). */
  private responseId?: string;
  private responseModel?: string;
  private finishReasons?: string[];
  stream = false;
  warnings: string[] = [];
  /** Masks the serving channel's credentials (key shapes only until a channel is chosen). */
  redactor: SecretRedactor = KEY_SHAPES_ONLY;
  /**
   * The request's and answer's bodies, redacted and capped, when capture was on for it (set as the request
   * ends). Span exporters read it here (`gen_ai.input.messages` / `gen_ai.output.messages`).
   */
  capture: CapturedBodies | undefined = undefined;

  constructor(
    readonly requestId: string,
    private readonly clientProtocol: string,
    private readonly endpoint: string,
  ) {}

  authenticated(key: VerifiedApiKey): void {
    this.key = key;
  }

  decoded(model: string, stream: boolean, conversation: ConversationKey | undefined, threadKey: string | undefined): void {
    this.requestedModel = model;
    this.threadKey = threadKey ?? null;
    this.stream = stream;
    this.conversation = conversation;
  }

  routed(decision: RouteDecision): void {
    this.decision = decision;
    this.redactor = redactorFor(decision.channel);
  }

  /** First bytes of the answer left for the client. */
  firstByte(): void {
    this.firstByteAt ??= performance.now();
  }

  observe(event: IrStreamEvent): void {
    if (event.type === 'usage') this.usage = event.usage;
    else if (event.type === 'start') this.answered(event.id, event.model);
    else if (event.type === 'finish') this.finished(event.reason);
  }

  upstreamCalled(): void {
    this.upstreamStartedAt = performance.now();
  }

  upstreamAnswered(): void {
    this.upstreamEndedAt = performance.now();
  }

  /** The upstream's own response id and model, as far as it named them (unknown values are ignored). */
  answered(id: unknown, model: unknown): void {
    if (typeof id === 'string' && id !== '') this.responseId = id;
    if (typeof model === 'string' && model !== '') this.responseModel = model;
  }

  finished(reason: string | undefined): void {
    if (reason !== undefined && reason !== '') (this.finishReasons ??= []).push(reason);
  }

  /** What the request's spans are made of, read once when it has finished (only with tracing on). */
  spanFacts(): RequestSpanFacts {
    return {
      startedAt: this.startedAt,
      firstByteAt: this.firstByteAt,
      upstreamStartedAt: this.upstreamStartedAt,
      upstreamEndedAt: this.upstreamEndedAt,
      conversation: this.conversation,
      decision: this.decision,
      responseId: this.responseId,
      responseModel: this.responseModel,
      finishReasons: this.finishReasons,
    };
  }

  observedUsage(usage: IrUsage | undefined): void {
    if (usage) this.usage = usage;
  }

  /**
   * The request failed. The error's message is redacted here, in place: the row and the client's answer are
   * both rendered from it after this call, so no path can show one the unredacted text.
   */
  failed(error: GatewayError, status = error.httpStatus): void {
    error.message = this.redactor.redact(error.message);
    this.error = error;
    this.status = status;
  }

  toEvent(): RequestFinishedEvent {
    const event: RequestFinishedEvent = {
      requestId: this.requestId,
      projectId: this.key?.projectId ?? null,
      apiKeyId: this.key?.apiKeyId ?? null,
      conversationKey: this.conversation?.key ?? null,
      conversationSource: this.conversation?.source ?? null,
      threadKey: this.threadKey,
      clientProtocol: this.clientProtocol,
      endpoint: this.endpoint,
      stream: this.stream,
      requestedModel: this.requestedModel,
      mappedModel: this.decision?.mappedModel ?? null,
      upstreamModel: this.decision?.upstreamModel ?? null,
      channelName: this.decision?.channel.name ?? null,
      status: this.status,
      errorCode: this.error?.code ?? null,
      errorMessage: this.error?.message ?? null,
      startedAt: isoTime(this.startedAtMs),
      latencyMs: round(performance.now() - this.startedAt),
      ttftMs: this.stream && this.firstByteAt !== undefined ? round(this.firstByteAt - this.startedAt) : null,
      inputTokens: this.usage?.inputTokens ?? null,
      outputTokens: this.usage?.outputTokens ?? null,
      totalTokens: this.usage?.totalTokens ?? null,
      cachedInputTokens: this.usage?.cachedInputTokens ?? null,
      reasoningTokens: this.usage?.reasoningTokens ?? null,
      warnings: this.warnings,
    };
    if (this.capture !== undefined) event.capture = this.capture;
    return event;
  }
}

/**
 * `Date#toISOString`, formatted once per millisecond: a busy gateway finishes several requests in the same
 * one, and a Date plus its formatting cost 0.4 µs per request.
 */
function isoTime(epochMs: number): string {
  if (epochMs !== lastIsoMs) {
    lastIsoMs = epochMs;
    lastIso = new Date(epochMs).toISOString();
  }
  return lastIso;
}
let lastIsoMs = Number.NaN;
let lastIso = '';

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
