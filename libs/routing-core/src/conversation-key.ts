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

/**
 * Codex sends `session-id`/`thread-id` (older versions `session_id`/`conversation_id`); Claude Code 2.1
 * sends `x-claude-code-session-id`.
 */
const CLIENT_CONVENTION_HEADERS = ['session-id', 'thread-id', 'conversation-id', 'x-claude-code-session-id'];

/** Claude Code before 2.1 wrote `metadata.user_id` as `user_<device>_account_<uuid or empty>_session_<uuid>`. */
const LEGACY_CLAUDE_CODE_USER_ID = /_session_([0-9a-fA-F-]{36})$/;

/**
 * The session id inside Claude Code's `metadata.user_id`: a JSON string with `session_id` (2.1:
 * `{"device_id":…,"account_uuid":…,"session_id":…}`) or the older `user_…_account_…_session_<uuid>` form.
 * Any other user id (a plain user name or uuid, as other clients send) names no conversation.
 */
export function claudeCodeSessionId(userId: string): string | undefined {
  if (userId.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(userId);
      const session = typeof parsed === 'object' && parsed !== null ? (parsed as { session_id?: unknown }).session_id : undefined;
      return typeof session === 'string' && session !== '' ? session : undefined;
    } catch {
      return undefined;
    }
  }
  return userId.startsWith('user_') ? LEGACY_CLAUDE_CODE_USER_ID.exec(userId)?.[1] : undefined;
}

/**
 * Resolution order: `AH-Trace-Id`; then `extraTraceHeaders` in order; then client conventions when enabled
 * (Codex's and Claude Code's headers, then the session inside Claude Code's `metadata.user_id`, then the
 * Responses `prompt_cache_key`); otherwise the request stands alone.
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
  resolve(headers: HeaderBag, promptCacheKey?: string, userId?: string): ConversationKey | undefined {
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
    if (!this.clientConventions) return undefined;
    const session = userId === undefined ? undefined : claudeCodeSessionId(userId);
    if (session !== undefined) return { key: session, source: 'metadata.user_id', explicit: false };
    return promptCacheKey ? { key: promptCacheKey, source: 'prompt_cache_key', explicit: false } : undefined;
  }
}
