import {
  GatewayError,
  resolveToolName,
  unwrapFreeformArguments,
  isJsonObject,
  nonEmptyString,
  numberOrUndefined,
  stringOrUndefined,
} from '@gw/ir';
import type { IrContentPart, IrItem, IrResponse, ToolNameMap } from '@gw/ir';
import { chatFinishReasonToIr } from './finish-reason';
import { describeUpstreamError } from './upstream-error';
import { decodeChatUsage } from './usage';

/**
 * Upstream non-stream Chat Completion → IR. Lenient: reads only the first choice's message and the
 * fields below, tolerating the nulls, empty strings and extra fields compatible providers send.
 */
export function decodeChatResponse(body: unknown, toolNames?: ToolNameMap): IrResponse {
  if (!isJsonObject(body)) throw new GatewayError('upstream_error', 'Upstream returned a response that is not a JSON object.');
  if (body.error !== undefined && body.error !== null) {
    throw new GatewayError('upstream_error', `Upstream returned an error: ${describeUpstreamError(body.error)}`);
  }
  const choices: unknown[] = Array.isArray(body.choices) ? body.choices : [];
  const choice = choices.find((entry) => isJsonObject(entry) && (entry.index ?? 0) === 0);
  const message = isJsonObject(choice) && isJsonObject(choice.message) ? choice.message : {};
  const finishReason = isJsonObject(choice) ? stringOrUndefined(choice.finish_reason) : undefined;

  const response: IrResponse = {
    id: stringOrUndefined(body.id) ?? '',
    model: stringOrUndefined(body.model) ?? '',
    created: numberOrUndefined(body.created) ?? 0,
    output: decodeOutput(message, toolNames),
    finishReason: finishReason === undefined ? 'stop' : chatFinishReasonToIr(finishReason),
  };
  const usage = decodeChatUsage(body.usage);
  if (usage !== undefined) response.usage = usage;
  return response;
}

function decodeOutput(message: Record<string, unknown>, toolNames: ToolNameMap | undefined): IrItem[] {
  const output: IrItem[] = [];
  // DeepSeek's `reasoning_content`; OpenRouter and vLLM call the same text `reasoning`.
  const reasoning = nonEmptyString(message.reasoning_content) ?? nonEmptyString(message.reasoning);
  if (reasoning !== undefined) output.push({ kind: 'reasoning', text: reasoning });

  const content: IrContentPart[] = [];
  const text = readContentText(message.content);
  if (text !== undefined && text !== '') content.push({ type: 'text', text });
  const refusal = nonEmptyString(message.refusal);
  if (refusal !== undefined) content.push({ type: 'refusal', text: refusal });

  const toolCalls: unknown[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const toolCallItems = toolCalls.flatMap((toolCall, index): IrItem[] => {
    if (!isJsonObject(toolCall) || !isJsonObject(toolCall.function)) return [];
    const wireName = stringOrUndefined(toolCall.function.name) ?? '';
    const args = toolCall.function.arguments;
    // Some servers (Ollama, older vLLM) send arguments as an object instead of JSON text.
    const argumentsText = typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args);
    const { freeform, ...name } = resolveToolName(toolNames, wireName);
    return [
      {
        kind: 'tool_call',
        // Some compatible servers omit the id; the client needs one to send the result back.
        callId: nonEmptyString(toolCall.id) ?? `call_${index}`,
        ...name,
        ...(freeform === true ? { freeform, arguments: unwrapFreeformArguments(argumentsText) } : { arguments: argumentsText }),
      },
    ];
  });

  // An empty answer is still an (empty) assistant message; a pure tool-call turn has none.
  if (content.length > 0 || toolCallItems.length === 0) output.push({ kind: 'message', role: 'assistant', content });
  output.push(...toolCallItems);
  return output;
}

/** `content` is a string on OpenAI; a few providers send an array of text parts. */
function readContentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content.map((part) => (isJsonObject(part) && typeof part.text === 'string' ? part.text : '')).join('');
}
