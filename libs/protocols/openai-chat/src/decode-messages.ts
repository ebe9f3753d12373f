import { imageSourceFromUrl, invalidRequest, isJsonObject, nonEmptyString } from '@gw/ir';
import type { IrContentPart, IrItem, IrMessageRole } from '@gw/ir';

/** Client `messages` → IR items, validated strictly enough that a bad body gets a 400 naming the field. */
export function decodeChatMessages(messages: unknown): IrItem[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalidRequest("'messages' must be a non-empty array.", 'messages');
  }
  return messages.flatMap((message, index) => decodeMessage(message, `messages[${index}]`));
}

function decodeMessage(message: unknown, param: string): IrItem[] {
  if (!isJsonObject(message)) throw invalidRequest(`'${param}' must be an object.`, param);
  const role = message.role;
  switch (role) {
    case 'system':
    case 'developer':
      return [messageItem(role, decodeTextOnlyContent(message.content, `${param}.content`))];
    case 'user':
      return [messageItem('user', decodeUserContent(message.content, `${param}.content`))];
    case 'assistant':
      return decodeAssistantMessage(message, param);
    case 'tool':
      return [decodeToolMessage(message, param)];
    case 'function':
      throw invalidRequest("Role 'function' is deprecated and not supported; send tool results with role 'tool'.", `${param}.role`);
    default:
      throw invalidRequest(`'${param}.role' must be one of 'system', 'developer', 'user', 'assistant', 'tool'.`, `${param}.role`);
  }
}

function messageItem(role: IrMessageRole, content: IrContentPart[]): IrItem {
  return { kind: 'message', role, content };
}

function decodeTextOnlyContent(content: unknown, param: string): IrContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or an array of text parts.`, param);
  return content.map((part, index) => {
    const text = readTextPart(part, `${param}[${index}]`);
    if (text === undefined) throw invalidRequest(`'${param}[${index}]' must be a text part.`, `${param}[${index}]`);
    return { type: 'text', text };
  });
}

/** The text of a `{type:'text', text}` part; undefined for other part types; 400 for a malformed text part. */
function readTextPart(part: unknown, param: string): string | undefined {
  if (!isJsonObject(part) || typeof part.type !== 'string') {
    throw invalidRequest(`'${param}' must be a content part object with a 'type'.`, param);
  }
  if (part.type !== 'text') return undefined;
  if (typeof part.text !== 'string') throw invalidRequest(`'${param}.text' must be a string.`, `${param}.text`);
  return part.text;
}

function decodeUserContent(content: unknown, param: string): IrContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string or an array of content parts.`, param);
  return content.map((part, index): IrContentPart => {
    const partParam = `${param}[${index}]`;
    const text = readTextPart(part, partParam);
    if (text !== undefined) return { type: 'text', text };
    const record = part as Record<string, unknown>;
    if (record.type === 'image_url') return decodeImagePart(record.image_url, `${partParam}.image_url`);
    // input_audio, file, ...: carried so the upstream encoder can warn about what it cannot send.
    return { type: 'unsupported', original: part, description: `Chat content part of type '${String(record.type)}'` };
  });
}

function decodeImagePart(imageUrl: unknown, param: string): IrContentPart {
  if (!isJsonObject(imageUrl) || typeof imageUrl.url !== 'string' || imageUrl.url === '') {
    throw invalidRequest(`'${param}.url' must be a non-empty string.`, `${param}.url`);
  }
  const detail = imageUrl.detail;
  const source = imageSourceFromUrl(imageUrl.url);
  if (detail === undefined || detail === null) return { type: 'image', source };
  if (detail !== 'auto' && detail !== 'low' && detail !== 'high') {
    throw invalidRequest(`'${param}.detail' must be one of 'auto', 'low', 'high'.`, `${param}.detail`);
  }
  return { type: 'image', source, detail };
}

/**
 * An assistant turn of the history. The openai SDK 6.x resends the message it parsed, with extra
 * `refusal: null` and `parsed: null` fields: both are tolerated (only a string `refusal` is content).
 */
function decodeAssistantMessage(message: Record<string, unknown>, param: string): IrItem[] {
  const items: IrItem[] = [];
  // Clients of DeepSeek-style APIs may echo `reasoning_content` back; keep it as reasoning history.
  const reasoning = nonEmptyString(message.reasoning_content);
  if (reasoning !== undefined) items.push({ kind: 'reasoning', text: reasoning });

  const content = decodeAssistantContent(message.content, `${param}.content`);
  const refusal = nonEmptyString(message.refusal);
  if (refusal !== undefined) content.push({ type: 'refusal', text: refusal });

  const toolCalls = decodeToolCalls(message.tool_calls, `${param}.tool_calls`);
  if (content.length > 0 || toolCalls.length === 0) items.push(messageItem('assistant', content));
  items.push(...toolCalls);
  return items;
}

function decodeAssistantContent(content: unknown, param: string): IrContentPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`'${param}' must be a string, null, or an array of parts.`, param);
  return content.map((part, index): IrContentPart => {
    const partParam = `${param}[${index}]`;
    const text = readTextPart(part, partParam);
    if (text !== undefined) return { type: 'text', text };
    const record = part as Record<string, unknown>;
    if (record.type === 'refusal' && typeof record.refusal === 'string') return { type: 'refusal', text: record.refusal };
    throw invalidRequest(`'${partParam}' must be a text or refusal part.`, partParam);
  });
}

function decodeToolCalls(toolCalls: unknown, param: string): IrItem[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw invalidRequest(`'${param}' must be an array.`, param);
  return toolCalls.map((toolCall, index): IrItem => {
    const callParam = `${param}[${index}]`;
    if (!isJsonObject(toolCall)) throw invalidRequest(`'${callParam}' must be an object.`, callParam);
    if (toolCall.type !== undefined && toolCall.type !== 'function') {
      throw invalidRequest(`'${callParam}.type' must be 'function'.`, `${callParam}.type`);
    }
    const callId = nonEmptyString(toolCall.id);
    if (callId === undefined) throw invalidRequest(`'${callParam}.id' must be a non-empty string.`, `${callParam}.id`);
    const fn = toolCall.function;
    if (!isJsonObject(fn)) throw invalidRequest(`'${callParam}.function' must be an object.`, `${callParam}.function`);
    const name = nonEmptyString(fn.name);
    if (name === undefined) {
      throw invalidRequest(`'${callParam}.function.name' must be a non-empty string.`, `${callParam}.function.name`);
    }
    if (typeof fn.arguments !== 'string') {
      throw invalidRequest(`'${callParam}.function.arguments' must be a JSON string.`, `${callParam}.function.arguments`);
    }
    return { kind: 'tool_call', callId, name, arguments: fn.arguments };
  });
}

function decodeToolMessage(message: Record<string, unknown>, param: string): IrItem {
  const callId = nonEmptyString(message.tool_call_id);
  if (callId === undefined) {
    throw invalidRequest(`'${param}.tool_call_id' must be a non-empty string.`, `${param}.tool_call_id`);
  }
  const parts = decodeTextOnlyContent(message.content, `${param}.content`);
  // Chat tool results are text only; the parts are joined as OpenAI reads them.
  const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { kind: 'tool_result', callId, content: [{ type: 'text', text }] };
}
