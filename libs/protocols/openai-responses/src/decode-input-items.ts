import type { IrContentPart, IrItem, IrMessageItem, IrMessageRole, IrToolResultPart } from '@gw/ir';
import { imageSourceFromUrl, invalidRequest, isJsonObject, optionalString, requiredString } from '@gw/ir';
import { encryptedContentData } from './provider-data';
import type { JsonObject } from './responses.schema';

/**
 * Input items with no IR shape (local_shell_call, web_search_call, item_reference, ...)
 * are carried, not rejected: Codex resends whatever an upstream produced, and a 400 would break the whole
 * conversation. They become a message holding one `unsupported` part whose `original` is
 * `{ [PASSTHROUGH_ITEM_KEY]: item }`: a Responses upstream gets the item back verbatim (encode-request.ts),
 * any other protocol's encoder drops the part with a `content_dropped` warning.
 */
export const PASSTHROUGH_ITEM_KEY = 'responsesInputItem';
/** Same idea for content parts (input_file, input_audio, file_id images): `{ [PASSTHROUGH_PART_KEY]: part }`. */
export const PASSTHROUGH_PART_KEY = 'responsesContentPart';

const MESSAGE_ROLES: readonly IrMessageRole[] = ['system', 'developer', 'user', 'assistant'];

/** `input` as a string (one user message) or an item array. */
export function decodeInput(input: unknown): IrItem[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ kind: 'message', role: 'user', content: [{ type: 'text', text: input }] }];
  if (!Array.isArray(input)) throw invalidRequest("'input' must be a string or an array of input items", 'input');
  return input.flatMap((item: unknown, index) => decodeInputItem(item, `input[${index}]`));
}

/**
 * The tools of `additional_tools` input items: Codex's newer request shape (model names its catalog marks,
 * e.g. `gpt-5.6-*`) sends no top-level `tools` but this item holding namespaces. They are the request's
 * tools like any other, so a Chat, Anthropic or Gemini upstream gets them as functions.
 */
export function additionalToolsOf(input: unknown): unknown[] {
  if (!Array.isArray(input)) return [];
  return input.flatMap((item: unknown): unknown[] =>
    isJsonObject(item) && item.type === 'additional_tools' && Array.isArray(item.tools) ? (item.tools as unknown[]) : [],
  );
}

function decodeInputItem(raw: unknown, param: string): IrItem[] {
  if (!isJsonObject(raw)) throw invalidRequest(`'${param}' must be an object`, param);
  // "Easy input messages" ({role, content}) have no `type`.
  const type = raw.type ?? (raw.role !== undefined ? 'message' : undefined);
  if (typeof type !== 'string') throw invalidRequest(`'${param}.type' is required`, `${param}.type`);
  switch (type) {
    case 'message':
      return [decodeMessage(raw, param)];
    case 'function_call':
      return [
        {
          kind: 'tool_call',
          ...optionalId(raw, param),
          callId: requiredString(raw.call_id, `${param}.call_id`),
          name: requiredString(raw.name, `${param}.name`),
          ...optionalNamespace(raw, param),
          arguments: decodeArguments(raw.arguments, `${param}.arguments`),
        },
      ];
    case 'custom_tool_call':
      return [
        {
          kind: 'tool_call',
          ...optionalId(raw, param),
          callId: requiredString(raw.call_id, `${param}.call_id`),
          name: requiredString(raw.name, `${param}.name`),
          ...optionalNamespace(raw, param),
          arguments: requiredText(raw.input, `${param}.input`),
          freeform: true,
        },
      ];
    case 'function_call_output':
    case 'custom_tool_call_output':
      return [
        {
          kind: 'tool_result',
          ...optionalId(raw, param),
          callId: requiredString(raw.call_id, `${param}.call_id`),
          content: decodeToolOutput(raw.output, `${param}.output`),
        },
      ];
    case 'reasoning':
      return [decodeReasoning(raw, param)];
    case 'additional_tools':
      // Its tools join the request's tools (additionalToolsOf); it is not a conversation item.
      return [];
    default:
      return [passthroughItem(raw, type)];
  }
}

function optionalId(raw: JsonObject, param: string): { id?: string } {
  const id = optionalString(raw.id, `${param}.id`);
  return id === undefined ? {} : { id };
}

function optionalNamespace(raw: JsonObject, param: string): { namespace?: string } {
  const namespace = optionalString(raw.namespace, `${param}.namespace`);
  return namespace === undefined ? {} : { namespace };
}

function decodeMessage(raw: JsonObject, param: string): IrMessageItem {
  const role = raw.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.includes(role as IrMessageRole)) {
    throw invalidRequest(`'${param}.role' must be one of ${MESSAGE_ROLES.join(', ')}`, `${param}.role`);
  }
  return {
    kind: 'message',
    ...optionalId(raw, param),
    role: role as IrMessageRole,
    content: decodeContent(raw.content, `${param}.content`),
  };
}

function decodeContent(content: unknown, param: string): IrContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or an array of content parts`, param);
  return content.map((part: unknown, index) => decodeContentPart(part, `${param}[${index}]`));
}

function decodeContentPart(part: unknown, param: string): IrContentPart {
  if (!isJsonObject(part)) throw invalidRequest(`'${param}' must be an object`, param);
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: requiredText(part.text, `${param}.text`) };
    case 'refusal':
      return { type: 'refusal', text: requiredText(part.refusal, `${param}.refusal`) };
    case 'input_image': {
      const url = optionalString(part.image_url, `${param}.image_url`);
      // A `file_id` image only exists in OpenAI's file store: carried for a Responses upstream, dropped elsewhere.
      if (url === undefined) return passthroughPart(part, 'input_image by file_id');
      const detail = part.detail;
      const source = imageSourceFromUrl(url);
      return detail === 'auto' || detail === 'low' || detail === 'high' ? { type: 'image', source, detail } : { type: 'image', source };
    }
    default:
      return passthroughPart(part, `content part '${String(part.type)}'`);
  }
}

function passthroughPart(part: JsonObject, description: string): IrContentPart {
  return { type: 'unsupported', original: { [PASSTHROUGH_PART_KEY]: part }, description };
}

/** Text may legitimately be empty, so only the type is checked. */
function requiredText(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalidRequest(`'${param}' must be a string`, param);
  return value;
}

function decodeArguments(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  // Some clients send parsed arguments; JSON text is what every protocol carries.
  if (isJsonObject(value)) return JSON.stringify(value);
  throw invalidRequest(`'${param}' must be a JSON string`, param);
}

/** A string, or an array of content parts: text and images by URL are kept (files have no IR shape here). */
function decodeToolOutput(value: unknown, param: string): IrToolResultPart[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) throw invalidRequest(`'${param}' must be a string or an array of content parts`, param);
  return value.filter(isJsonObject).flatMap((part): IrToolResultPart[] => {
    if (typeof part.text === 'string') return part.text === '' ? [] : [{ type: 'text', text: part.text }];
    if (part.type === 'input_image' && typeof part.image_url === 'string')
      return [{ type: 'image', source: imageSourceFromUrl(part.image_url) }];
    return [];
  });
}

function decodeReasoning(raw: JsonObject, param: string): IrItem {
  const summary = Array.isArray(raw.summary)
    ? raw.summary.filter(isJsonObject).flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
    : [];
  // Raw reasoning text (`content[].reasoning_text`, open-weight models) travels as IR `text`.
  const text = Array.isArray(raw.content)
    ? raw.content
        .filter(isJsonObject)
        .flatMap((part) => (typeof part.text === 'string' ? [part.text] : []))
        .join('')
    : '';
  const encryptedContent = optionalString(raw.encrypted_content, `${param}.encrypted_content`) ?? undefined;
  return {
    kind: 'reasoning',
    ...optionalId(raw, param),
    summary,
    ...(text === '' ? {} : { text }),
    ...encryptedContentData(encryptedContent),
  };
}

function passthroughItem(raw: JsonObject, type: string): IrMessageItem {
  // Model-made items (`*_call`) belong to the assistant turn; their outputs and references to the client's.
  const role: IrMessageRole = type.endsWith('_call') ? 'assistant' : 'user';
  return {
    kind: 'message',
    role,
    content: [{ type: 'unsupported', original: { [PASSTHROUGH_ITEM_KEY]: raw }, description: `input item '${type}'` }],
  };
}

/** The verbatim Responses content part behind an `unsupported` part, if it came from a Responses client. */
export function passthroughPartOriginal(part: IrContentPart): JsonObject | undefined {
  if (part.type !== 'unsupported' || !isJsonObject(part.original)) return undefined;
  const original = part.original[PASSTHROUGH_PART_KEY];
  return isJsonObject(original) ? original : undefined;
}

/** The verbatim Responses input item behind a passthrough message, if `item` is one. */
export function passthroughOriginal(item: IrItem): JsonObject | undefined {
  if (item.kind !== 'message' || item.content.length !== 1) return undefined;
  const part = item.content[0];
  if (part?.type !== 'unsupported' || !isJsonObject(part.original)) return undefined;
  const original = part.original[PASSTHROUGH_ITEM_KEY];
  return isJsonObject(original) ? original : undefined;
}
