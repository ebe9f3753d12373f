/**
 * The neutral intermediate representation (IR) every wire protocol decodes into and encodes from.
 * It is deliberately not shaped like any one provider's API: protocols meet here, never pairwise.
 */

/** A piece of message content. Unknown parts are carried, not dropped, so an encoder can warn about them. */
export type IrContentPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string; detail?: 'auto' | 'low' | 'high' }
  | { type: 'refusal'; text: string }
  | { type: 'unsupported'; original: unknown; description: string };

export type IrMessageRole = 'system' | 'developer' | 'user' | 'assistant';

/** A conversation item. The order of items is the order of the conversation. */
export type IrItem = IrMessageItem | IrReasoningItem | IrToolCallItem | IrToolResultItem;

export interface IrMessageItem {
  kind: 'message';
  /** Client-made or upstream-made id, kept so a client gets back exactly the ids it saw (Codex resends them). */
  id?: string;
  role: IrMessageRole;
  content: IrContentPart[];
}

export interface IrReasoningItem {
  kind: 'reasoning';
  id?: string;
  /** Plain reasoning text (DeepSeek `reasoning_content`, Anthropic thinking). */
  text?: string;
  /** Summary paragraphs (OpenAI Responses `summary[].text`). */
  summary?: string[];
  /** Opaque provider state (Responses `encrypted_content`); only meaningful to the protocol that made it. */
  encryptedContent?: string;
}

export interface IrToolCallItem {
  kind: 'tool_call';
  id?: string;
  /** Stable across the round trip: the client sends it back with the result. */
  callId: string;
  name: string;
  /** Responses `namespace` tools (Codex): the call belongs to `namespace`, `name` is the inner tool. */
  namespace?: string;
  /** JSON text exactly as the model produced it. */
  arguments: string;
}

export interface IrToolResultItem {
  kind: 'tool_result';
  id?: string;
  callId: string;
  output: string;
}
