import {
  invalidRequest,
  isJsonObject,
  optionalArray,
  optionalBoolean,
  optionalString,
  requiredString,
  type IrContentPart,
  type IrItem,
  type IrToolResultPart,
} from '@gw/ir';
import { field, geminiData, GEMINI_PART_KEY, signatureData } from './provider-data';

/**
 * Gemini has no call ids (the Developer API leaves `functionCall.id` out): a call without one gets
 * `gemini_call_<n>_<name>`, n counting the conversation's calls from 0. History only grows, so a call keeps its
 * id from turn to turn. A `functionResponse` without an id answers the oldest unanswered call of its name, as
 * Gemini pairs them (by name, in order); one that answers no call gets the id such a call would have had.
 */
export class CallIds {
  private count = 0;
  private readonly pending = new Map<string, string[]>();

  forCall(name: string, id: string | undefined): string {
    const callId = id ?? `gemini_call_${this.count}_${name}`;
    this.count++;
    const queue = this.pending.get(name) ?? [];
    queue.push(callId);
    this.pending.set(name, queue);
    return callId;
  }

  forResponse(name: string, id: string | undefined): string {
    const queue = this.pending.get(name) ?? [];
    if (id !== undefined) {
      const index = queue.indexOf(id);
      if (index !== -1) queue.splice(index, 1);
      return id;
    }
    return queue.shift() ?? `gemini_call_${this.count++}_${name}`;
  }
}

/**
 * One `contents[]` entry → IR items in part order. Text and images gather into message items; function calls,
 * function responses and thoughts become their own items where they stand.
 * - A `thoughtSignature` stays on its part: on a text part, a reasoning item (a thought) or a tool call, under
 *   the `gemini` issuer. An empty text part that only carries a signature (how Gemini ends a streamed answer)
 *   is a reasoning item holding the signature alone. Consecutive thoughts are one reasoning item (with one
 *   signature at most). The gateway's envelope (another provider's reasoning state shown to this client) gives
 *   that provider's data back.
 * - Parts with no IR shape (audio or PDF `inlineData`, non-image `fileData`, `executableCode`, ...) are carried
 *   verbatim as `unsupported` parts: a Gemini upstream gets them back, other encoders drop them with a warning.
 */
export function decodeContent(content: unknown, param: string, ids: CallIds): IrItem[] {
  if (!isJsonObject(content)) throw invalidRequest(`'${param}' must be an object`, param);
  const roleName = optionalString(content.role, `${param}.role`) ?? 'user';
  // `function` is the role older clients give to function responses.
  if (roleName !== 'user' && roleName !== 'model' && roleName !== 'function') {
    throw invalidRequest(`'${param}.role' must be 'user' or 'model'`, `${param}.role`);
  }
  const role = roleName === 'model' ? 'assistant' : 'user';
  const parts = optionalArray(content.parts, `${param}.parts`) ?? [];
  const items: IrItem[] = [];
  let message: IrContentPart[] | undefined;
  const flush = (): void => {
    if (message !== undefined) items.push({ kind: 'message', role, content: message });
    message = undefined;
  };
  parts.forEach((part: unknown, index) => {
    const decoded = decodePart(part, `${param}.parts[${index}]`, role, ids);
    if ('kind' in decoded) {
      flush();
      const previous = items[items.length - 1];
      // Thoughts arrive in pieces, one part per stream chunk, and a signature alone after them is theirs (how the
      // gateway streams reasoning state to Gemini clients): one reasoning item, as long as one signature at most.
      if (
        decoded.kind === 'reasoning' &&
        previous?.kind === 'reasoning' &&
        (previous.providerData === undefined || decoded.providerData === undefined)
      ) {
        if (decoded.text !== undefined) previous.text = (previous.text ?? '') + decoded.text;
        if (decoded.providerData !== undefined) previous.providerData = decoded.providerData;
      } else items.push(decoded);
    } else (message ??= []).push(decoded);
  });
  flush();
  if (items.length === 0) items.push({ kind: 'message', role, content: [] });
  return items;
}

function decodePart(part: unknown, param: string, role: 'user' | 'assistant', ids: CallIds): IrItem | IrContentPart {
  if (!isJsonObject(part)) throw invalidRequest(`'${param}' must be an object`, param);
  const signature = optionalString(field(part, 'thoughtSignature'), `${param}.thoughtSignature`) || undefined;
  const thought = optionalBoolean(part.thought, `${param}.thought`) ?? false;
  const text = optionalString(part.text, `${param}.text`);
  if (text !== undefined) {
    if (thought) return { kind: 'reasoning', text, ...signatureData(signature) };
    if (text === '' && signature !== undefined) return { kind: 'reasoning', ...signatureData(signature) };
    return { type: 'text', text, ...signatureData(signature) };
  }
  const inlineData = field(part, 'inlineData');
  if (inlineData !== undefined) {
    const image = decodeInlineImage(inlineData, `${param}.inlineData`);
    return image ?? { type: 'unsupported', original: { [GEMINI_PART_KEY]: part }, description: 'Gemini inline data that is not an image' };
  }
  const fileData = field(part, 'fileData');
  if (fileData !== undefined) {
    if (!isJsonObject(fileData)) throw invalidRequest(`'${param}.fileData' must be an object`, `${param}.fileData`);
    const url = requiredString(field(fileData, 'fileUri'), `${param}.fileData.fileUri`);
    const mediaType = optionalString(field(fileData, 'mimeType'), `${param}.fileData.mimeType`);
    if (mediaType?.startsWith('image/') === true) return { type: 'image', source: { type: 'url', url, mediaType } };
    return { type: 'unsupported', original: { [GEMINI_PART_KEY]: part }, description: 'Gemini file data that is not an image' };
  }
  const functionCall = field(part, 'functionCall');
  if (functionCall !== undefined) {
    if (role !== 'assistant') throw invalidRequest(`'${param}': functionCall parts belong to model turns`, param);
    if (!isJsonObject(functionCall)) throw invalidRequest(`'${param}.functionCall' must be an object`, `${param}.functionCall`);
    const name = requiredString(functionCall.name, `${param}.functionCall.name`);
    const id = optionalString(functionCall.id, `${param}.functionCall.id`) || undefined;
    const args = functionCall.args ?? {};
    if (!isJsonObject(args)) throw invalidRequest(`'${param}.functionCall.args' must be an object`, `${param}.functionCall.args`);
    return {
      kind: 'tool_call',
      callId: ids.forCall(name, id),
      name,
      arguments: JSON.stringify(args),
      ...geminiData({ thoughtSignature: signature, id }),
    };
  }
  const functionResponse = field(part, 'functionResponse');
  if (functionResponse !== undefined) return decodeFunctionResponse(functionResponse, `${param}.functionResponse`, ids);
  return { type: 'unsupported', original: { [GEMINI_PART_KEY]: part }, description: `Gemini '${Object.keys(part).join(',')}' part` };
}

function decodeInlineImage(value: unknown, param: string): IrToolResultPart | undefined {
  if (!isJsonObject(value)) throw invalidRequest(`'${param}' must be an object`, param);
  const mediaType = requiredString(field(value, 'mimeType'), `${param}.mimeType`);
  const data = requiredString(value.data, `${param}.data`);
  return mediaType.startsWith('image/') ? { type: 'image', source: { type: 'base64', mediaType, data } } : undefined;
}

/**
 * A function response → a tool result whose text is the `response` object as JSON (what the model produced
 * for Gemini is an object; other protocols take text). Images in its `parts` (multimodal function responses)
 * follow the text. The function name is not kept: the Gemini encoder finds it again from the call, by call id.
 */
function decodeFunctionResponse(value: unknown, param: string, ids: CallIds): IrItem {
  if (!isJsonObject(value)) throw invalidRequest(`'${param}' must be an object`, param);
  const name = requiredString(value.name, `${param}.name`);
  const id = optionalString(value.id, `${param}.id`) || undefined;
  const response = value.response ?? {};
  if (!isJsonObject(response)) throw invalidRequest(`'${param}.response' must be an object`, `${param}.response`);
  const content: IrToolResultPart[] = [{ type: 'text', text: JSON.stringify(response) }];
  (optionalArray(value.parts, `${param}.parts`) ?? []).forEach((part: unknown, index) => {
    const inner = isJsonObject(part) ? field(part, 'inlineData') : undefined;
    const image = inner === undefined ? undefined : decodeInlineImage(inner, `${param}.parts[${index}].inlineData`);
    if (image !== undefined) content.push(image);
  });
  // Google's convention: `output` for a result, `error` for a failure.
  const isError = response.error !== undefined && response.output === undefined ? { isError: true } : {};
  return { kind: 'tool_result', callId: ids.forResponse(name, id), content, ...isError, ...geminiData({ id }) };
}
