import { createHash } from 'node:crypto';
import { INVALID_TRACEID } from '@opentelemetry/api';

/**
 * The trace every request of one conversation joins: its id is derived from the conversation key (scoped by
 * project, so two tenants reusing a header value never share a trace), so every replica and every restart
 * lands a conversation's turns in the same trace without sharing any state.
 */
export class ConversationTraceIds {
  /** Conversations repeat turn after turn: the hash is computed once per key while it is in use. */
  private readonly cache = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {}

  traceIdOf(projectId: string | null, conversationKey: string): string {
    const cacheKey = `${projectId ?? ''}\u0000${conversationKey}`;
    let traceId = this.cache.get(cacheKey);
    if (traceId === undefined) {
      traceId = conversationTraceId(projectId, conversationKey);
      if (this.cache.size >= this.maxEntries) this.cache.clear();
      this.cache.set(cacheKey, traceId);
    }
    return traceId;
  }
}

/** First 128 bits of SHA-256 over the project and the key, as W3C trace-id hex (never the invalid all-zero id). */
export function conversationTraceId(projectId: string | null, conversationKey: string): string {
  const digest = createHash('sha256')
    .update('axonhub-conversation\u0000')
    .update(projectId ?? '')
    .update('\u0000')
    .update(conversationKey)
    .digest('hex')
    .slice(0, 32);
  return digest === INVALID_TRACEID ? '00000000000000000000000000000001' : digest;
}
