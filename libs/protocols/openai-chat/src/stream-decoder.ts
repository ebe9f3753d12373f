import {
  GatewayError,
  resolveToolName,
  unwrapFreeformArguments,
  isJsonObject,
  nonEmptyString,
  numberOrUndefined,
  stringOrUndefined,
} from '@gw/ir';
import type { CodecContext, IrStreamEvent, ToolNameMap } from '@gw/ir';
import type { SseEvent } from '@gw/sse';
import { chatFinishReasonToIr } from './finish-reason';
import { describeUpstreamError } from './upstream-error';
import { decodeChatUsage } from './usage';

/** A tool call as far as the stream has told it; arguments wait here until the call's name is known. */
interface ToolCallState {
  started: boolean;
  callId?: string;
  pendingArguments: string;
  /**
   * A freeform tool's call: its JSON arguments (`{"input": ...}`) are held until the answer ends, then sent
   * with its start as one delta of raw text. Held, not streamed: the text is a JSON string's content and cannot be
   * unescaped safely piece by piece.
   */
  freeformArguments?: string;
  /** Its start, sent with the text so a client encoder never sees the call open across other output. */
  freeformStart?: IrStreamEvent;
}

/**
 * Upstream Chat Completions stream → IR events, one SSE `data:` payload at a time. Reads only the first
 * choice (the gateway never asks for n > 1). Usage is emitted wherever it appears: on a trailing chunk with
 * empty `choices` (OpenAI, Azure), on the finish chunk (DeepSeek), on a chunk after the finish that still
 * has a choice (OpenRouter) or inside the choice (Moonshot).
 */
export class ChatStreamDecoder {
  private started = false;
  private finished = false;
  private doneSeen = false;
  private readonly toolCalls = new Map<number, ToolCallState>();
  /** For providers that omit `tool_calls[].index`: the index of the call that chunks without one continue. */
  private lastToolCallIndex = -1;
  private hasFreeformCalls = false;

  constructor(
    private readonly ctx: CodecContext,
    private readonly toolNames?: ToolNameMap,
  ) {}

  /** One SSE event, as every stream decoder takes it; Chat streams name no events, only `data` is read. */
  push(event: SseEvent): IrStreamEvent[] {
    const payload = event.data.trim();
    if (payload === '[DONE]') this.doneSeen = true;
    if (payload === '' || payload === '[DONE]') return [];
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      throw new GatewayError('upstream_error', 'Upstream sent a stream chunk that is not JSON.');
    }
    if (!isJsonObject(chunk)) return [];
    if (chunk.error !== undefined && chunk.error !== null) {
      throw new GatewayError('upstream_error', describeUpstreamError(chunk.error));
    }

    const events: IrStreamEvent[] = [];
    const choices: unknown[] = Array.isArray(chunk.choices) ? chunk.choices : [];
    const usage = decodeChatUsage(chunk.usage);
    // Azure's first chunk has empty choices, an empty id and only `prompt_filter_results`: not a start yet.
    if (!this.started && (nonEmptyString(chunk.id) !== undefined || choices.length > 0 || usage !== undefined)) {
      this.started = true;
      events.push({
        type: 'start',
        id: nonEmptyString(chunk.id) ?? this.ctx.newId('chatcmpl'),
        model: stringOrUndefined(chunk.model) ?? '',
        created: numberOrUndefined(chunk.created) || this.ctx.now(),
      });
    }

    let choiceUsage: unknown;
    for (const choice of choices) {
      if (!isJsonObject(choice) || (numberOrUndefined(choice.index) ?? 0) !== 0) continue;
      if (isJsonObject(choice.delta)) this.decodeDelta(choice.delta, events);
      const finishReason = nonEmptyString(choice.finish_reason);
      if (finishReason !== undefined && !this.finished) {
        this.finished = true;
        if (this.hasFreeformCalls) this.flushFreeformCalls(events);
        events.push({ type: 'finish', reason: chatFinishReasonToIr(finishReason) });
      }
      choiceUsage = choice.usage;
    }
    const finalUsage = usage ?? decodeChatUsage(choiceUsage);
    if (finalUsage !== undefined) events.push({ type: 'usage', usage: finalUsage });
    return events;
  }

  /** A stream that ends without a finish_reason gets nothing invented here: the caller decides (`complete`). */
  end(): IrStreamEvent[] {
    const events: IrStreamEvent[] = [];
    if (this.hasFreeformCalls) this.flushFreeformCalls(events);
    return events;
  }

  /** Each held freeform call's raw input, as one delta, once. */
  private flushFreeformCalls(events: IrStreamEvent[]): void {
    for (const [index, state] of this.toolCalls) {
      if (state.freeformArguments === undefined || state.freeformStart === undefined) continue;
      const input = unwrapFreeformArguments(state.freeformArguments);
      events.push(state.freeformStart);
      if (input !== '') events.push({ type: 'tool_call_delta', index, argumentsDelta: input });
      state.freeformArguments = undefined;
      state.freeformStart = undefined;
    }
    this.hasFreeformCalls = false;
  }

  /**
   * The stream reached its end: `[DONE]`, or a finish_reason (a few compatible providers close the stream
   * without `[DONE]`; the answer is whole once its finish reason came). Otherwise it was cut short.
   */
  get complete(): boolean {
    return this.doneSeen || this.finished;
  }

  private decodeDelta(delta: Record<string, unknown>, events: IrStreamEvent[]): void {
    // DeepSeek sends `reasoning_content`; OpenRouter and vLLM send `reasoning`. Some send both with the
    // same text, so `reasoning` is read only when `reasoning_content` is absent.
    const reasoning = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning);
    if (reasoning !== undefined) events.push({ type: 'reasoning_delta', text: reasoning });
    const text = nonEmptyString(delta.content);
    if (text !== undefined) events.push({ type: 'text_delta', text });
    const refusal = nonEmptyString(delta.refusal);
    if (refusal !== undefined) events.push({ type: 'refusal_delta', text: refusal });
    if (Array.isArray(delta.tool_calls)) {
      for (const toolCall of delta.tool_calls) if (isJsonObject(toolCall)) this.decodeToolCallDelta(toolCall, events);
    }
  }

  private decodeToolCallDelta(toolCall: Record<string, unknown>, events: IrStreamEvent[]): void {
    const index = this.toolCallIndex(toolCall);
    this.lastToolCallIndex = index;
    let state = this.toolCalls.get(index);
    if (state === undefined) {
      state = { started: false, pendingArguments: '' };
      this.toolCalls.set(index, state);
    }
    state.callId ??= nonEmptyString(toolCall.id);
    const fn = isJsonObject(toolCall.function) ? toolCall.function : {};
    const argumentsDelta = stringOrUndefined(fn.arguments) ?? '';
    if (state.started) {
      // Some providers repeat the name on every chunk: only the first one counts.
      if (state.freeformArguments !== undefined) state.freeformArguments += argumentsDelta;
      else if (argumentsDelta !== '') events.push({ type: 'tool_call_delta', index, argumentsDelta });
      return;
    }
    state.pendingArguments += argumentsDelta;
    const wireName = nonEmptyString(fn.name);
    if (wireName === undefined) return;
    state.started = true;
    const callId = state.callId ?? this.ctx.newId('call');
    const tool = resolveToolName(this.toolNames, wireName);
    if (tool.freeform === true) {
      state.freeformStart = { type: 'tool_call_start', index, callId, ...tool };
      state.freeformArguments = state.pendingArguments;
      state.pendingArguments = '';
      this.hasFreeformCalls = true;
      return;
    }
    events.push({ type: 'tool_call_start', index, callId, ...tool });
    // Arguments may arrive in the same chunk as the name (Gemini, Mistral send the whole call at once).
    if (state.pendingArguments !== '') {
      events.push({ type: 'tool_call_delta', index, argumentsDelta: state.pendingArguments });
      state.pendingArguments = '';
    }
  }

  private toolCallIndex(toolCall: Record<string, unknown>): number {
    const index = numberOrUndefined(toolCall.index);
    if (index !== undefined) return index;
    const id = nonEmptyString(toolCall.id);
    const isNewCall = id !== undefined && ![...this.toolCalls.values()].some((state) => state.callId === id);
    return isNewCall || this.lastToolCallIndex < 0 ? this.toolCalls.size : this.lastToolCallIndex;
  }
}
