import type { IrFinishReason } from '@gw/ir';

/**
 * An OpenAI-compatible vendor as configuration over the `openai` (Chat Completions) channel type: where it
 * lives, how it wants the credential, and what it does differently. Data only; `resolveChannel` turns a
 * channel's stored fields and its preset into the request the data plane sends.
 */
export interface ProviderPreset {
  /** The value of a channel's `preset` field (lower case, stable: it is stored with channels). */
  id: string;
  displayName: string;
  /** Filled in when a channel names the preset without a `base_url`; null: the channel must give one (Azure). */
  defaultBaseUrl: string | null;
  auth: AuthStyle;
  /**
   * Path after the base URL for a model, replacing the protocol's own (`/chat/completions`). `{model}` is the
   * upstream model name (after the channel's `model_map`), URL-encoded. Absent: the protocol's path.
   */
  pathTemplate?: string;
  /** Query parameters every request carries (Azure's `api-version`); the base URL's own query wins. */
  defaultQuery?: Readonly<Record<string, string>>;
  /** Headers sent unless the channel's `headers` set them (names lower case). */
  defaultHeaders?: Readonly<Record<string, string>>;
  /** Optional headers the vendor documents, for docs and UIs (OpenRouter's attribution headers). */
  suggestedHeaders?: readonly string[];
  quirks?: RequestQuirks;
  /**
   * What the gateway can prove about this vendor's answers: each capability with the recordings (paths under
   * `fixtures/upstream/`) that show it. Only what a recording covers is declared (the consistency test replays
   * them); a vendor that adds nothing to plain Chat points at the `openai-chat` recordings.
   */
  capabilities: Readonly<Partial<Record<PresetCapability, readonly string[]>>>;
  /**
   * The vendor's documented `finish_reason` values beyond Chat's own, with what they become in the IR (the
   * Chat decoder's table must agree; the consistency test checks it). Empty: the vendor uses Chat's words.
   */
  finishReasons: Readonly<Record<string, IrFinishReason>>;
  /** Where the facts above come from (vendor docs), for whoever updates the preset. */
  docs: string;
}

/** How the credential travels: `authorization: Bearer <key>` for most, `api-key: <key>` for Azure. */
export interface AuthStyle {
  /** Lower-case header name. */
  header: string;
  /** Put before the key: `'Bearer '`, or `''` for the bare key. */
  scheme: string;
}

export const BEARER_AUTH: AuthStyle = { header: 'authorization', scheme: 'Bearer ' };

/** Request fields a vendor refuses (400/422) where OpenAI accepts them. */
export interface RequestQuirks {
  /**
   * Top-level fields the vendor rejects. They are dropped from the upstream body, with a `parameter_dropped`
   * warning when the client sent them.
   */
  rejectedParameters?: readonly string[];
  /**
   * The vendor rejects `stream_options` (Mistral: 422 `extra_forbidden`) and reports usage in its last chunk
   * anyway. The gateway adds `stream_options` itself to get usage, so dropping it warns only when the client
   * asked for it.
   */
  rejectsStreamOptions?: boolean;
}

/** What a recording can show about a Chat upstream's answers. */
export type PresetCapability = 'text' | 'tools' | 'parallel_tools' | 'reasoning';

export const PRESET_CAPABILITIES: readonly PresetCapability[] = ['text', 'tools', 'parallel_tools', 'reasoning'];

/** The plain Chat recordings: what a vendor that speaks Chat as OpenAI does is shown by OpenAI's own answers. */
export const OPENAI_CHAT_RECORDINGS = {
  text: ['openai-chat/text.sse', 'openai-chat/text.json', 'openai-chat/stop.sse'],
  tools: ['openai-chat/tool.sse', 'openai-chat/tool.json'],
  parallel_tools: ['openai-chat/parallel-tools.sse'],
} as const satisfies Partial<Record<PresetCapability, readonly string[]>>;
