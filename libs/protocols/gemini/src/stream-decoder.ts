import {
  GatewayError,
  isJsonObject,
  nonEmptyString,
  resolveToolName,
  stringOrUndefined,
  unwrapFreeformArguments,
  type CodecContext,
  type IrStreamEvent,
  type IrUsage,
  type JsonRecord,
  type ToolNameMap,
} from '@gw/ir';
import type { SseEvent } from '@gw/sse';
import { decodeGeminiStreamError } from './errors';
import { geminiFinishReasonToIr } from './finish-reason';
import { field, geminiData } from './provider-data';
import { blockReason, firstCandidate } from './response-parts';
import { mergeGeminiUsage } from './usage';

/** A function call whose arguments stream in pieces (Vertex `streamFunctionCallArguments`): rebuilt, then sent whole. */
interface OpenCall {
  index: number;
  args: JsonRecord;
  /** A freeform tool's call: its one string parameter is sent on as the raw text. */
  freeform: boolean;
}

/**
 * Upstream `streamGenerateContent?alt=sse` → IR stream events. Every SSE event is a whole
 * `GenerateContentResponse` whose first candidate's parts are the new output.
 * - Text parts are text deltas, `thought` parts reasoning deltas; a `thoughtSignature` on either becomes a
 *   `reasoning_item` right after it, holding the signature under the `gemini` issuer (it completes the
 *   reasoning being streamed; after answer text, it is the empty-text part Gemini ends an answer with).
 * - A function call arrives whole: `tool_call_start` (its signature and Gemini's `id` in provider data) and one
 *   `tool_call_delta` with the arguments as JSON. Arguments streamed in pieces (`partialArgs` with a `jsonPath`,
 *   `willContinue`) are put together and sent as that one delta when the call ends (an empty `functionCall`,
 *   the next call or the finish).
 * - `usageMetadata` (the whole usage, repeated in every chunk) gives a `usage` event when it changes.
 * - `finishReason` gives the finish (`STOP` with calls is `tool_calls`); `promptFeedback.blockReason` without
 *   a candidate is `content_filter`. An `error` member throws. `complete` only once a finish arrived: a stream
 *   that ends without one is a failure, never a normal completion.
 */
export class GeminiStreamDecoder {
  private started = false;
  private finished = false;
  private usage?: IrUsage;
  private toolCallCount = 0;
  private openCall?: OpenCall;

  constructor(
    private readonly ctx: CodecContext,
    private readonly toolNames?: ToolNameMap,
  ) {}

  push(event: SseEvent): IrStreamEvent[] {
    if (event.data.trim() === '') return [];
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      throw new GatewayError('upstream_error', 'Upstream sent a stream event that is not JSON.');
    }
    const chunk: unknown = Array.isArray(data) ? data[0] : data;
    if (!isJsonObject(chunk)) return [];
    if (isJsonObject(chunk.error)) throw decodeGeminiStreamError(chunk);
    const events = this.start(chunk);
    if (this.finished) return [...events, ...this.usageEvent(field(chunk, 'usageMetadata'))];
    const { parts, finishReason } = firstCandidate(chunk);
    for (const part of parts) events.push(...this.part(part));
    events.push(...this.usageEvent(field(chunk, 'usageMetadata')));
    const blocked = blockReason(chunk);
    if (finishReason !== undefined || blocked !== undefined) {
      events.push(...this.closeCall());
      this.finished = true;
      const reason = finishReason === undefined ? 'content_filter' : geminiFinishReasonToIr(finishReason, this.toolCallCount > 0);
      events.push({ type: 'finish', reason });
    }
    return events;
  }

  end(): IrStreamEvent[] {
    return [];
  }

  /** A finish reason arrived; otherwise the stream was cut short. */
  get complete(): boolean {
    return this.finished;
  }

  private start(chunk: JsonRecord): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    return [
      {
        type: 'start',
        id: nonEmptyString(field(chunk, 'responseId')) ?? this.ctx.newId('resp'),
        model: stringOrUndefined(field(chunk, 'modelVersion')) ?? '',
        created: this.ctx.now(),
      },
    ];
  }

  private usageEvent(value: unknown): IrStreamEvent[] {
    const merged = mergeGeminiUsage(this.usage, value);
    if (merged === undefined || merged === this.usage) return [];
    const known = this.usage;
    this.usage = merged;
    // Gemini repeats the same usage in chunk after chunk: only a change is news.
    const same =
      known !== undefined &&
      known.inputTokens === merged.inputTokens &&
      known.outputTokens === merged.outputTokens &&
      known.cachedInputTokens === merged.cachedInputTokens &&
      known.reasoningTokens === merged.reasoningTokens;
    return same ? [] : [{ type: 'usage', usage: merged }];
  }

  private part(part: JsonRecord): IrStreamEvent[] {
    const thoughtSignature = nonEmptyString(field(part, 'thoughtSignature'));
    const functionCall = field(part, 'functionCall');
    if (isJsonObject(functionCall)) return this.functionCall(functionCall, thoughtSignature);
    const events = this.closeCall();
    const text = stringOrUndefined(part.text);
    if (text !== undefined && text !== '') events.push({ type: part.thought === true ? 'reasoning_delta' : 'text_delta', text });
    if (thoughtSignature !== undefined) events.push({ type: 'reasoning_item', summary: [], ...geminiData({ thoughtSignature }) });
    return events;
  }

  private functionCall(call: JsonRecord, thoughtSignature: string | undefined): IrStreamEvent[] {
    const name = nonEmptyString(call.name);
    const partialArgs = Array.isArray(field(call, 'partialArgs')) ? (field(call, 'partialArgs') as unknown[]) : undefined;
    const willContinue = field(call, 'willContinue') === true;
    const events: IrStreamEvent[] = [];
    if (name !== undefined) {
      events.push(...this.closeCall());
      const index = this.toolCallCount++;
      const id = nonEmptyString(call.id);
      const tool = resolveToolName(this.toolNames, name);
      events.push({
        type: 'tool_call_start',
        index,
        callId: id ?? this.ctx.newId('call'),
        ...tool,
        ...geminiData({ thoughtSignature, id }),
      });
      this.openCall = { index, args: isJsonObject(call.args) ? { ...call.args } : {}, freeform: tool.freeform === true };
    }
    const open = this.openCall;
    if (open === undefined) return events;
    for (const piece of partialArgs ?? []) if (isJsonObject(piece)) applyPartialArg(open.args, piece);
    // A call ends when it says it will not continue (a whole call, or the empty `functionCall: {}` closing a streamed one).
    if (!willContinue) events.push(...this.closeCall());
    return events;
  }

  private closeCall(): IrStreamEvent[] {
    const open = this.openCall;
    if (open === undefined) return [];
    this.openCall = undefined;
    const json = JSON.stringify(open.args);
    return [{ type: 'tool_call_delta', index: open.index, argumentsDelta: open.freeform ? unwrapFreeformArguments(json) : json }];
  }
}

/**
 * One `partialArgs` piece: a value at a JSONPath (`$.location`, `$.items[0].name`). String values arrive in
 * pieces and are appended; numbers, booleans and nulls are set.
 */
function applyPartialArg(args: JsonRecord, piece: JsonRecord): void {
  const path = stringOrUndefined(field(piece, 'jsonPath'));
  if (path === undefined) return;
  const keys = [...path.replace(/^\$\.?/, '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) =>
    match[2] === undefined ? (match[1] ?? '') : Number(match[2]),
  );
  if (keys.length === 0) return;
  let target: Record<string | number, unknown> = args;
  keys.slice(0, -1).forEach((key, position) => {
    const next = target[key];
    if (typeof next === 'object' && next !== null) target = next as Record<string | number, unknown>;
    else {
      const created: Record<string | number, unknown> =
        typeof keys[position + 1] === 'number' ? ([] as unknown as Record<number, unknown>) : {};
      target[key] = created;
      target = created;
    }
  });
  const last = keys[keys.length - 1] as string | number;
  const stringValue = stringOrUndefined(field(piece, 'stringValue'));
  if (stringValue !== undefined) target[last] = (typeof target[last] === 'string' ? target[last] : '') + stringValue;
  else if ('numberValue' in piece || 'number_value' in piece) target[last] = field(piece, 'numberValue');
  else if ('boolValue' in piece || 'bool_value' in piece) target[last] = field(piece, 'boolValue');
  else if ('nullValue' in piece || 'null_value' in piece) target[last] = null;
}
