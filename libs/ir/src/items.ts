/**
 * The neutral intermediate representation (IR) every wire protocol decodes into and encodes from.
 * It is deliberately not shaped like any one provider's API: protocols meet here, never pairwise.
 */

/**
 * Opaque state a provider attached to a piece of output, keyed by the protocol that issued it
 * (`anthropic`: a thinking `signature` or `redacted_thinking` data; `openai-responses`: reasoning
 * `encrypted_content`; `gemini`: a `thoughtSignature`). Only the issuer's own encoder sends it back; every
 * other encoder leaves it out (with a warning where the loss changes what the upstream sees, see ADR 0015).
 */
export type IrProviderData = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What one issuer attached, or undefined. */
export function providerDataOf(holder: { providerData?: IrProviderData }, issuer: string): Readonly<Record<string, unknown>> | undefined {
  return holder.providerData?.[issuer];
}

/** An image given inline (base64 with its media type) or by URL (a media type only when the client named one). */
export type IrImageSource = { type: 'url'; url: string; mediaType?: string } | { type: 'base64'; data: string; mediaType: string };

export interface IrTextPart {
  type: 'text';
  text: string;
  providerData?: IrProviderData;
}

export interface IrImagePart {
  type: 'image';
  source: IrImageSource;
  detail?: 'auto' | 'low' | 'high';
  providerData?: IrProviderData;
}

/** A piece of message content. Unknown parts are carried, not dropped, so an encoder can warn about them. */
export type IrContentPart =
  IrTextPart | IrImagePart | { type: 'refusal'; text: string } | { type: 'unsupported'; original: unknown; description: string };

/** What a tool result may hold: text and images (Anthropic `tool_result` content, Responses output parts). */
export type IrToolResultPart = IrTextPart | IrImagePart;

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
  /** Opaque state only the issuer can read back (encrypted content, signatures, redacted thinking). */
  providerData?: IrProviderData;
}

export interface IrToolCallItem {
  kind: 'tool_call';
  id?: string;
  /** Stable across the round trip: the client sends it back with the result. */
  callId: string;
  name: string;
  /** Responses `namespace` tools (Codex): the call belongs to `namespace`, `name` is the inner tool. */
  namespace?: string;
  /** JSON text exactly as the model produced it; for a `freeform` call, the raw input text. */
  arguments: string;
  /** A call of a freeform tool (`IrFunctionTool.freeform`): `arguments` is plain text, not JSON. */
  freeform?: boolean;
  providerData?: IrProviderData;
}

export interface IrToolResultItem {
  kind: 'tool_result';
  id?: string;
  callId: string;
  /** Text and images, in order. A plain string result is one text part. */
  content: IrToolResultPart[];
  /** The tool failed (Anthropic `is_error`); protocols without the flag carry only the content. */
  isError?: boolean;
  providerData?: IrProviderData;
}

/** The text of a tool result's text parts, joined: what a text-only protocol sends. */
export function toolResultText(item: IrToolResultItem): string {
  return item.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** An image as a URL: `data:` URLs carry inline images for protocols that only take URLs (Chat, Responses). */
export function imageUrl(source: IrImageSource): string {
  return source.type === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const DATA_URL = /^data:([^;,]+);base64,/;

/** A URL → image source; a base64 `data:` URL becomes inline data so protocols that want bytes get them. */
export function imageSourceFromUrl(url: string): IrImageSource {
  const match = DATA_URL.exec(url);
  if (match?.[1] === undefined) return { type: 'url', url };
  return { type: 'base64', mediaType: match[1], data: url.slice(match[0].length) };
}
