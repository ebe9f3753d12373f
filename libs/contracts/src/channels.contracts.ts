import type { AdminCommand } from './admin.contracts';
import type { ChannelType } from './routing.contracts';

/**
 * The admin API's channel commands (owned by the routing service). Channels are shared by every project:
 * any token reads them, only gateway-wide admin and owner tokens write and test them.
 */

/**
 * The credential as the API shows it: never the secret. `last4` is its last four characters when it is at
 * least 16 long (enough to tell two keys apart, too little to matter); a shorter one shows nothing (null).
 */
export interface ChannelCredentialView {
  set: true;
  last4: string | null;
}

/**
 * A test call never waits longer than this, whatever the channel's `timeout_ms`: someone is waiting at a
 * prompt. The admin command's bus request waits a little longer, so the answer is the result, not a 503.
 */
export const CHANNEL_TEST_MAX_MS = 20_000;
export const CHANNEL_TEST_BUS_TIMEOUT_MS = CHANNEL_TEST_MAX_MS + 5_000;

/** One real, minimal upstream call with the channel's own credential ("test this channel"). */
export interface ChannelTestResult {
  ok: boolean;
  /** The upstream's HTTP status; null when no answer came (refused connection, timeout). */
  status: number | null;
  latency_ms: number;
  model: string;
  /** Why it failed, redacted with the channel's credential (an upstream may echo the key it was sent). */
  error?: string;
  at: string;
}

export interface ChannelView {
  id: string;
  name: string;
  type: ChannelType;
  base_url: string;
  models: string[];
  enabled: boolean;
  timeout_ms: number | null;
  /** An OpenAI-compatible vendor preset (type `openai` only), or null. */
  preset: string | null;
  /** The model the profile mapped to → the name this channel's upstream wants. */
  model_map: Record<string, string>;
  api_key: ChannelCredentialView;
  /** Extra request headers by name; values are write-only like `api_key` (they may be credentials). */
  headers: Record<string, ChannelCredentialView>;
  last_test: ChannelTestResult | null;
  created_at: string;
  updated_at: string;
}

export interface ChannelRef extends AdminCommand {
  /** The channel's id or its name. */
  channel: string;
}

/** `fields` is the request body as sent: the routing service validates it and names the bad field. */
export interface CreateChannelCommand extends AdminCommand {
  fields: Record<string, unknown>;
}

export interface UpdateChannelCommand extends ChannelRef {
  fields: Record<string, unknown>;
}

export interface TestChannelCommand extends ChannelRef {
  /** Absent: the channel's first model. */
  model?: unknown;
}
