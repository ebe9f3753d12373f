/** Where a request's conversation (trace) key came from. */
export interface ConversationKey {
  key: string;
  /** The header (lower-case) or body field it was read from. */
  source: string;
  /** True when the client supplied it as a conversation id; false when inferred from client conventions. */
  explicit: boolean;
}

export type HeaderBag = Record<string, string | string[] | undefined>;

/** Header names compared case-insensitively with `_` ≡ `-` (`Conversation_id` = `conversation-id`). */
export function normalizeHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes('_') ? lower.replace(/_/g, '-') : lower;
}

/** Codex sends `session-id`/`thread-id` (older versions `session_id`/`conversation_id`). */
const CLIENT_CONVENTION_HEADERS = ['session-id', 'thread-id', 'conversation-id'];

/**
 * Resolution order: `AH-Trace-Id`; then `extraTraceHeaders` in order; then client conventions (Codex
 * headers, then the Responses `prompt_cache_key`) when enabled; otherwise the request stands alone.
 */
export class ConversationKeyResolver {
  /** Every header that can name the conversation, normalized, with its rank (lower wins). */
  private readonly ranks = new Map<string, number>();
  private readonly explicitCount: number;

  constructor(
    extraTraceHeaders: readonly string[],
    private readonly clientConventions: boolean,
  ) {
    const explicit = ['ah-trace-id', ...extraTraceHeaders.map(normalizeHeaderName)];
    this.explicitCount = explicit.length;
    const candidates = clientConventions ? [...explicit, ...CLIENT_CONVENTION_HEADERS] : explicit;
    candidates.forEach((name, rank) => {
      if (!this.ranks.has(name)) this.ranks.set(name, rank);
    });
  }

  /**
   * One pass over the request's headers, without copying them: this runs on every request, and most
   * requests carry none of the candidate headers. The first header of a name wins, as before.
   */
  resolve(headers: HeaderBag, promptCacheKey?: string): ConversationKey | undefined {
    let best: { rank: number; source: string; key: string } | undefined;
    for (const name in headers) {
      const normalized = normalizeHeaderName(name);
      const rank = this.ranks.get(normalized);
      if (rank === undefined || (best !== undefined && best.rank <= rank)) continue;
      const value = headers[name];
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined && first !== '') best = { rank, source: normalized, key: first };
    }
    if (best) return { key: best.key, source: best.source, explicit: best.rank < this.explicitCount };
    return this.clientConventions && promptCacheKey ? { key: promptCacheKey, source: 'prompt_cache_key', explicit: false } : undefined;
  }
}
