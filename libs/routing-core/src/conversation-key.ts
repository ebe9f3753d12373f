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
  return name.toLowerCase().replace(/_/g, '-');
}

/** Codex sends `session-id`/`thread-id` (older versions `session_id`/`conversation_id`). */
const CLIENT_CONVENTION_HEADERS = ['session-id', 'thread-id', 'conversation-id'];

/**
 * Resolution order: `AH-Trace-Id`; then `extraTraceHeaders` in order; then client conventions (Codex
 * headers, then the Responses `prompt_cache_key`) when enabled; otherwise the request stands alone.
 */
export class ConversationKeyResolver {
  private readonly explicitHeaders: string[];

  constructor(
    extraTraceHeaders: readonly string[],
    private readonly clientConventions: boolean,
  ) {
    this.explicitHeaders = ['ah-trace-id', ...extraTraceHeaders.map(normalizeHeaderName)];
  }

  resolve(headers: HeaderBag, promptCacheKey?: string): ConversationKey | undefined {
    const normalized = normalizeHeaders(headers);
    for (const name of this.explicitHeaders) {
      const value = normalized.get(name);
      if (value) return { key: value, source: name, explicit: true };
    }
    if (!this.clientConventions) return undefined;
    for (const name of CLIENT_CONVENTION_HEADERS) {
      const value = normalized.get(name);
      if (value) return { key: value, source: name, explicit: false };
    }
    return promptCacheKey ? { key: promptCacheKey, source: 'prompt_cache_key', explicit: false } : undefined;
  }
}

function normalizeHeaders(headers: HeaderBag): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== '') {
      const key = normalizeHeaderName(name);
      if (!normalized.has(key)) normalized.set(key, first);
    }
  }
  return normalized;
}
