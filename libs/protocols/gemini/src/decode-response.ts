import {
  GatewayError,
  isJsonObject,
  nonEmptyString,
  resolveToolName,
  stringOrUndefined,
  unwrapFreeformArguments,
  type CodecContext,
  type IrContentPart,
  type IrItem,
  type IrResponse,
  type ToolNameMap,
} from '@gw/ir';
import { decodeGeminiStreamError } from './errors';
import { geminiFinishReasonToIr } from './finish-reason';
import { field, geminiData } from './provider-data';
import { blockReason, firstCandidate } from './response-parts';
import { mergeGeminiUsage } from './usage';

/**
 * Upstream non-streamed `GenerateContentResponse` → IR, leniently. Thought parts are reasoning, text parts one
 * message, function calls tool calls (Gemini's `id` when it gave one, else a minted `call_` id); every
 * `thoughtSignature` stays on its part under the `gemini` issuer. A prompt blocked by `promptFeedback.blockReason`
 * is an empty answer finished by `content_filter`. Gemini sends no timestamp the IR can use: `created` is the gateway's clock.
 */
export function decodeGeminiResponse(body: unknown, ctx: CodecContext, toolNames?: ToolNameMap): IrResponse {
  if (!isJsonObject(body)) throw new GatewayError('upstream_error', 'Upstream returned a response that is not a JSON object.');
  if (isJsonObject(body.error)) throw decodeGeminiStreamError(body);
  const { parts, finishReason } = firstCandidate(body);
  const output = decodeParts(parts, ctx, toolNames);
  const hasToolCalls = output.some((item) => item.kind === 'tool_call');
  const blocked = blockReason(body);
  const response: IrResponse = {
    id: stringOrUndefined(field(body, 'responseId')) ?? ctx.newId('resp'),
    model: stringOrUndefined(field(body, 'modelVersion')) ?? '',
    created: ctx.now(),
    output,
    finishReason:
      blocked !== undefined && finishReason === undefined ? 'content_filter' : geminiFinishReasonToIr(finishReason ?? 'STOP', hasToolCalls),
  };
  const usage = mergeGeminiUsage(undefined, field(body, 'usageMetadata'));
  if (usage !== undefined) response.usage = usage;
  return response;
}

function decodeParts(parts: Record<string, unknown>[], ctx: CodecContext, toolNames: ToolNameMap | undefined): IrItem[] {
  const output: IrItem[] = [];
  let text: IrContentPart[] | undefined;
  const flush = (): void => {
    if (text !== undefined) output.push({ kind: 'message', role: 'assistant', content: text });
    text = undefined;
  };
  for (const part of parts) {
    const thoughtSignature = nonEmptyString(field(part, 'thoughtSignature'));
    const partText = stringOrUndefined(part.text);
    const functionCall = field(part, 'functionCall');
    if (part.thought === true || (partText === '' && thoughtSignature !== undefined)) {
      flush();
      output.push({ kind: 'reasoning', ...(partText ? { text: partText } : {}), ...geminiData({ thoughtSignature }) });
    } else if (partText !== undefined) {
      (text ??= []).push({ type: 'text', text: partText, ...geminiData({ thoughtSignature }) });
    } else if (isJsonObject(functionCall)) {
      flush();
      const id = nonEmptyString(functionCall.id);
      const { freeform, ...name } = resolveToolName(toolNames, stringOrUndefined(functionCall.name) ?? '');
      const argumentsText = JSON.stringify(isJsonObject(functionCall.args) ? functionCall.args : {});
      output.push({
        kind: 'tool_call',
        callId: id ?? ctx.newId('call'),
        ...name,
        // A freeform tool's call (sent as a function with one string parameter): its raw text, unwrapped.
        ...(freeform === true ? { freeform, arguments: unwrapFreeformArguments(argumentsText) } : { arguments: argumentsText }),
        ...geminiData({ thoughtSignature, id }),
      });
    }
    // executableCode, codeExecutionResult, inlineData images the model drew: run or made by the provider,
    // nothing a client of another protocol can take.
  }
  flush();
  if (output.length === 0) output.push({ kind: 'message', role: 'assistant', content: [] });
  return output;
}
