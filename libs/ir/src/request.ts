import type { IrItem, IrProviderData } from './items';

export type JsonSchema = Record<string, unknown>;

export type IrTool = IrFunctionTool | IrBuiltinTool;

export interface IrFunctionTool {
  kind: 'function';
  name: string;
  /** Set for tools nested in a Responses `namespace` tool. */
  namespace?: string;
  description?: string;
  parameters?: JsonSchema;
  strict?: boolean;
  /**
   * A tool that takes free text instead of JSON arguments (Responses `custom` tools: Codex's `apply_patch`
   * and code-mode `exec`). `format` (a grammar, or `{type:'text'}`) is carried as given. Protocols without
   * freeform tools send it as a function with one string parameter (see freeform-tools.ts).
   */
  freeform?: { format?: Record<string, unknown> };
  /** Hints only the issuing protocol reads back (Anthropic `cache_control`). */
  providerData?: IrProviderData;
}

/** A tool the provider runs itself (`web_search`, `file_search`, ...): only a same-protocol upstream can serve it. */
export interface IrBuiltinTool {
  kind: 'builtin';
  type: string;
  original: Record<string, unknown>;
}

export type IrToolChoice = { mode: 'auto' } | { mode: 'none' } | { mode: 'required' } | { mode: 'tool'; name: string; namespace?: string };

export type IrReasoningEffort = 'minimal' | 'low' | 'medium' | 'high';

export interface IrRequest {
  model: string;
  items: IrItem[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  parallelToolCalls?: boolean;
  stream: boolean;
  /** Chat `stream_options.include_usage`; Responses streams always end with usage. */
  includeUsageInStream?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  /** Sample from the K most likely tokens (Anthropic, Gemini); OpenAI protocols have no such parameter. */
  topK?: number;
  stop?: string[];
  /**
   * Reasoning asked for. `budgetTokens` is a fixed thinking budget (Anthropic `thinking.budget_tokens`);
   * without it the model decides how much to think, guided by `effort`.
   */
  reasoning?: { effort?: IrReasoningEffort; summary?: 'auto' | 'concise' | 'detailed'; budgetTokens?: number };
  user?: string;
  metadata?: Record<string, string>;
  /** Responses `prompt_cache_key`: also a conversation hint for traces. */
  promptCacheKey?: string;
  /** Response format (Chat `response_format` / Responses `text.format`), carried as given. */
  responseFormat?: Record<string, unknown>;
  /**
   * Request fields with no IR meaning, kept verbatim under the protocol that sent them (Anthropic
   * `context_management`): only that protocol's encoder sends them on, the others warn that they were dropped.
   */
  providerData?: IrProviderData;
}
