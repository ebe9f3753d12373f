import {
  imageSourceFromUrl,
  invalidRequest,
  isJsonObject,
  optionalBoolean,
  requiredString,
  type IrContentPart,
  type IrImagePart,
  type IrItem,
  type IrMessageRole,
  type IrToolResultPart,
} from '@gw/ir';
import type { JsonObject } from './anthropic.schema';
import { anthropicData, passthroughBlockPart, providerDataFromSignature } from './provider-data';

/**
 * One client message → IR items, in block order. Text and images gather into message items; `tool_use`,
 * `tool_result`, `thinking` and `redacted_thinking` blocks become their own items where they stand, so the
 * conversation keeps its order whatever protocol it is re-encoded for.
 */
export function decodeMessage(message: unknown, param: string): IrItem[] {
  if (!isJsonObject(message)) throw invalidRequest(`'${param}' must be an object`, param);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    throw invalidRequest(`'${param}.role' must be 'user', 'assistant' or 'system'`, `${param}.role`);
  }
  const content = message.content;
  if (typeof content === 'string') return [{ kind: 'message', role, content: [{ type: 'text', text: content }] }];
  if (!Array.isArray(content))
    throw invalidRequest(`'${param}.content' must be a string or an array of content blocks`, `${param}.content`);

  const items: IrItem[] = [];
  let parts: IrContentPart[] | undefined;
  const flush = (): void => {
    if (parts !== undefined) items.push({ kind: 'message', role, content: parts });
    parts = undefined;
  };
  content.forEach((block: unknown, index) => {
    const blockParam = `${param}.content[${index}]`;
    const item = decodeBlock(block, blockParam, role);
    if ('kind' in item) {
      flush();
      items.push(item);
    } else {
      (parts ??= []).push(item);
    }
  });
  flush();
  // An empty content array is still a turn (Anthropic rejects it, but that is the upstream's call to make).
  if (items.length === 0) items.push({ kind: 'message', role, content: [] });
  return items;
}

function decodeBlock(block: unknown, param: string, role: IrMessageRole): IrItem | IrContentPart {
  if (!isJsonObject(block)) throw invalidRequest(`'${param}' must be an object`, param);
  const type = requiredString(block.type, `${param}.type`);
  switch (type) {
    case 'text':
      return decodeTextBlock(block, param);
    case 'image':
      return decodeImageBlock(block, param);
    case 'tool_use':
      if (role !== 'assistant') throw invalidRequest(`'${param}': tool_use blocks belong to assistant messages`, param);
      return {
        kind: 'tool_call',
        callId: requiredString(block.id, `${param}.id`),
        name: requiredString(block.name, `${param}.name`),
        arguments: JSON.stringify(block.input ?? {}),
        ...anthropicData({ cache_control: block.cache_control }),
      };
    case 'tool_result':
      if (role !== 'user') throw invalidRequest(`'${param}': tool_result blocks belong to user messages`, param);
      return decodeToolResult(block, param);
    case 'thinking': {
      if (typeof block.thinking !== 'string') throw invalidRequest(`'${param}.thinking' must be a string`, `${param}.thinking`);
      // An empty signature is what the gateway's own stream sends for reasoning another provider made: nothing to replay.
      const signature = typeof block.signature === 'string' && block.signature !== '' ? block.signature : undefined;
      const foreign = signature === undefined ? undefined : providerDataFromSignature(signature);
      if (foreign !== undefined) return { kind: 'reasoning', text: block.thinking, providerData: foreign };
      return { kind: 'reasoning', text: block.thinking, ...anthropicData({ signature }) };
    }
    case 'redacted_thinking':
      return { kind: 'reasoning', ...anthropicData({ redactedData: requiredString(block.data, `${param}.data`) }) };
    default:
      // document, search_result, server_tool_use, web_search_tool_result, container_upload, ...
      return passthroughBlockPart(block, `Anthropic '${type}' block`);
  }
}

function decodeTextBlock(block: JsonObject, param: string): IrContentPart {
  if (typeof block.text !== 'string') throw invalidRequest(`'${param}.text' must be a string`, `${param}.text`);
  return { type: 'text', text: block.text, ...anthropicData({ cache_control: block.cache_control }) };
}

/** base64 and URL sources; a `file` source lives in Anthropic's file store only: carried for an Anthropic upstream. */
function decodeImageBlock(block: JsonObject, param: string): IrImagePart | IrContentPart {
  const source = block.source;
  if (!isJsonObject(source)) throw invalidRequest(`'${param}.source' must be an object`, `${param}.source`);
  const providerData = anthropicData({ cache_control: block.cache_control });
  if (source.type === 'base64') {
    return {
      type: 'image',
      source: {
        type: 'base64',
        mediaType: requiredString(source.media_type, `${param}.source.media_type`),
        data: requiredString(source.data, `${param}.source.data`),
      },
      ...providerData,
    };
  }
  if (source.type === 'url')
    return { type: 'image', source: imageSourceFromUrl(requiredString(source.url, `${param}.source.url`)), ...providerData };
  if (source.type === 'file') return passthroughBlockPart(block, 'Anthropic image by file_id');
  throw invalidRequest(`'${param}.source.type' must be 'base64', 'url' or 'file'`, `${param}.source.type`);
}

/**
 * A tool result's content: a string, or text and image blocks. Other blocks (documents, search results)
 * are kept verbatim under the Anthropic issuer, for an Anthropic upstream only.
 */
function decodeToolResult(block: JsonObject, param: string): IrItem {
  const callId = requiredString(block.tool_use_id, `${param}.tool_use_id`);
  const isError = optionalBoolean(block.is_error, `${param}.is_error`);
  const content: IrToolResultPart[] = [];
  const otherBlocks: JsonObject[] = [];
  const raw = block.content;
  if (typeof raw === 'string') content.push({ type: 'text', text: raw });
  else if (Array.isArray(raw)) {
    raw.forEach((inner: unknown, index) => {
      const innerParam = `${param}.content[${index}]`;
      if (!isJsonObject(inner)) throw invalidRequest(`'${innerParam}' must be an object`, innerParam);
      if (inner.type === 'text') content.push(decodeTextBlock(inner, innerParam) as IrToolResultPart);
      else if (inner.type === 'image' && isJsonObject(inner.source) && inner.source.type !== 'file') {
        content.push(decodeImageBlock(inner, innerParam) as IrImagePart);
      } else otherBlocks.push(inner);
    });
  } else if (raw !== undefined && raw !== null) {
    throw invalidRequest(`'${param}.content' must be a string or an array of content blocks`, `${param}.content`);
  }
  return {
    kind: 'tool_result',
    callId,
    content,
    ...(isError === undefined ? {} : { isError }),
    ...anthropicData({ cache_control: block.cache_control, otherBlocks: otherBlocks.length > 0 ? otherBlocks : undefined }),
  };
}
