import type { IrContentPart, IrItem } from '@gw/ir';
import { isJsonObject, stringOrUndefined } from '@gw/ir';
import { encryptedContentData } from './provider-data';
import type {
  ResponsesCustomToolCallItem,
  ResponsesFunctionCallItem,
  ResponsesOutputContentPart,
  ResponsesOutputMessage,
  ResponsesReasoningItem,
} from './responses.schema';

type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

// ---------------------------------------------------------------- IR → client output items

export function messageOutputItem(id: string, content: ResponsesOutputContentPart[], status: ItemStatus): ResponsesOutputMessage {
  return { id, type: 'message', status, role: 'assistant', content };
}

export function outputTextPart(text: string): ResponsesOutputContentPart {
  return { type: 'output_text', text, annotations: [] };
}

export function refusalPart(refusal: string): ResponsesOutputContentPart {
  return { type: 'refusal', refusal };
}

/** `encrypted_content` only when an upstream gave one: a made-up value would be rejected when Codex resends it. */
export function reasoningOutputItem(id: string, summary: string[], encryptedContent?: string): ResponsesReasoningItem & { id: string } {
  const item: ResponsesReasoningItem & { id: string } = {
    id,
    type: 'reasoning',
    summary: summary.map((text) => ({ type: 'summary_text', text })),
  };
  if (encryptedContent !== undefined) item.encrypted_content = encryptedContent;
  return item;
}

/**
 * A call to a tool nested in a `namespace` tool carries `namespace` plus the inner tool's own `name` (never a
 * joined `ns__name`): Codex routes it with `ToolName::new(namespace, name)` in `ToolRouter::build_tool_call`
 * (openai/codex codex-rs/core/src/tools/router.rs), and the openai SDK types it as
 * `ResponseFunctionToolCall.namespace?: string`.
 */
export function functionCallOutputItem(call: {
  id: string;
  callId: string;
  name: string;
  namespace?: string;
  arguments: string;
  status: ItemStatus;
}): ResponsesFunctionCallItem & { id: string } {
  const item: ResponsesFunctionCallItem & { id: string } = {
    id: call.id,
    type: 'function_call',
    status: call.status,
    arguments: call.arguments,
    call_id: call.callId,
    name: call.name,
  };
  if (call.namespace !== undefined) item.namespace = call.namespace;
  return item;
}

/** A freeform (`custom`) tool's call: `input` is the raw text the model wrote. */
export function customToolCallOutputItem(call: {
  id: string;
  callId: string;
  name: string;
  namespace?: string;
  input: string;
  status: ItemStatus;
}): ResponsesCustomToolCallItem & { id: string } {
  return {
    id: call.id,
    type: 'custom_tool_call',
    status: call.status,
    call_id: call.callId,
    name: call.name,
    ...(call.namespace === undefined ? {} : { namespace: call.namespace }),
    input: call.input,
  };
}

/** IR message content → output parts. Images and unsupported parts cannot be model output and are left out. */
export function outputContentParts(content: IrContentPart[]): ResponsesOutputContentPart[] {
  return content.flatMap((part) => {
    if (part.type === 'text') return [outputTextPart(part.text)];
    if (part.type === 'refusal') return [refusalPart(part.text)];
    return [];
  });
}

// ---------------------------------------------------------------- upstream output items → IR (lenient)

/**
 * One upstream output item → IR. Items a non-Responses client cannot use (web_search_call, shell_call,
 * custom_tool_call, ...: run or defined by the provider, not by the client) give `undefined`.
 */
export function decodeOutputItem(raw: unknown): IrItem | undefined {
  if (!isJsonObject(raw)) return undefined;
  const id = stringOrUndefined(raw.id);
  switch (raw.type) {
    case 'message': {
      const content = Array.isArray(raw.content) ? raw.content.flatMap(decodeOutputPart) : [];
      return { kind: 'message', ...(id === undefined ? {} : { id }), role: 'assistant', content };
    }
    case 'reasoning': {
      const encryptedContent = stringOrUndefined(raw.encrypted_content);
      const text = textsOf(raw.content).join('');
      return {
        kind: 'reasoning',
        ...(id === undefined ? {} : { id }),
        summary: textsOf(raw.summary),
        ...(text === '' ? {} : { text }),
        ...encryptedContentData(encryptedContent),
      };
    }
    case 'function_call': {
      const namespace = stringOrUndefined(raw.namespace);
      return {
        kind: 'tool_call',
        ...(id === undefined ? {} : { id }),
        callId: stringOrUndefined(raw.call_id) ?? id ?? '',
        name: stringOrUndefined(raw.name) ?? '',
        ...(namespace === undefined ? {} : { namespace }),
        arguments: stringOrUndefined(raw.arguments) ?? '',
      };
    }
    default:
      return undefined;
  }
}

function decodeOutputPart(part: unknown): IrContentPart[] {
  if (!isJsonObject(part)) return [];
  if (part.type === 'output_text' && typeof part.text === 'string') return [{ type: 'text', text: part.text }];
  if (part.type === 'refusal' && typeof part.refusal === 'string') return [{ type: 'refusal', text: part.refusal }];
  return [];
}

/** The `text` of each part of a summary/content array. */
export function textsOf(parts: unknown): string[] {
  if (!Array.isArray(parts)) return [];
  return parts.filter(isJsonObject).flatMap((part) => (typeof part.text === 'string' ? [part.text] : []));
}
