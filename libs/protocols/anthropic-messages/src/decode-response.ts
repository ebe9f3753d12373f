import {
  GatewayError,
  isJsonObject,
  resolveToolName,
  stringOrUndefined,
  unwrapFreeformArguments,
  type CodecContext,
  type IrContentPart,
  type IrItem,
  type IrResponse,
  type ToolNameMap,
} from '@gw/ir';
import { decodeAnthropicStreamError } from './errors';
import { anthropicData } from './provider-data';
import { anthropicStopReasonToIr } from './stop-reason';
import { mergeAnthropicUsage } from './usage';

/**
 * Upstream non-stream Message → IR, leniently. Thinking keeps its signature (and redacted thinking its data)
 * under the Anthropic issuer; consecutive text blocks form one message; blocks only the provider runs
 * (server_tool_use, web_search_tool_result, ...) are left out: no other protocol's client can receive them.
 * Anthropic sends no timestamp, so `created` is the gateway's clock.
 */
export function decodeAnthropicResponse(body: unknown, ctx: CodecContext, toolNames?: ToolNameMap): IrResponse {
  if (!isJsonObject(body)) throw new GatewayError('upstream_error', 'Upstream returned a response that is not a JSON object.');
  if (body.type === 'error' || (isJsonObject(body.error) && body.content === undefined)) throw decodeAnthropicStreamError(body);
  const response: IrResponse = {
    id: stringOrUndefined(body.id) ?? '',
    model: stringOrUndefined(body.model) ?? '',
    created: ctx.now(),
    output: decodeContent(Array.isArray(body.content) ? body.content : [], toolNames),
    finishReason: anthropicStopReasonToIr(stringOrUndefined(body.stop_reason) ?? 'end_turn'),
  };
  const usage = mergeAnthropicUsage(undefined, body.usage);
  if (usage !== undefined) response.usage = usage;
  return response;
}

function decodeContent(blocks: unknown[], toolNames: ToolNameMap | undefined): IrItem[] {
  const output: IrItem[] = [];
  let text: IrContentPart[] | undefined;
  const flush = (): void => {
    if (text !== undefined) output.push({ kind: 'message', role: 'assistant', content: text });
    text = undefined;
  };
  for (const block of blocks) {
    if (!isJsonObject(block)) continue;
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string') (text ??= []).push({ type: 'text', text: block.text });
        break;
      case 'thinking':
        flush();
        output.push({
          kind: 'reasoning',
          text: stringOrUndefined(block.thinking) ?? '',
          ...anthropicData({ signature: stringOrUndefined(block.signature) || undefined }),
        });
        break;
      case 'redacted_thinking':
        flush();
        output.push({ kind: 'reasoning', ...anthropicData({ redactedData: stringOrUndefined(block.data) }) });
        break;
      case 'tool_use': {
        flush();
        const tool = resolveToolName(toolNames, stringOrUndefined(block.name) ?? '');
        const argumentsJson = JSON.stringify(block.input ?? {});
        output.push({
          kind: 'tool_call',
          callId: stringOrUndefined(block.id) ?? '',
          ...tool,
          // A freeform tool's call is the raw text of its one string parameter (libs/ir freeform-tools.ts).
          arguments: tool.freeform === true ? unwrapFreeformArguments(argumentsJson) : argumentsJson,
        });
        break;
      }
      default:
        break;
    }
  }
  flush();
  // An empty answer (a refusal with no text) is still an empty assistant message, as for the other protocols.
  if (output.length === 0) output.push({ kind: 'message', role: 'assistant', content: [] });
  return output;
}
