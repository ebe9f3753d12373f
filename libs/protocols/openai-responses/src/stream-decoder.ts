import { GatewayError, type CodecContext, type IrStreamEvent } from '@gw/ir';
import type { SseEvent } from '@gw/sse';
import { upstreamFailure } from './decode-response';
import { isJsonObject, numberOrUndefined, stringOrUndefined } from '@gw/ir';
import { decodeOutputItem, textsOf } from './output-items';
import type { JsonObject } from './responses.schema';
import { encryptedContentData } from './provider-data';
import { finishForIncompleteReason } from './status';
import { decodeResponsesUsage } from './usage';

/** What the decoder remembers about one upstream output item, by output_index. */
type ItemState =
  | { kind: 'function_call'; toolIndex: number; argumentsStreamed: boolean }
  | { kind: 'reasoning'; summaryStreamed: boolean }
  | { kind: 'message'; contentStreamed: boolean }
  | { kind: 'ignored' };

/**
 * Upstream Responses SSE → IR stream events (a Chat or Anthropic client served by a Responses channel).
 *
 * - Text and refusal deltas pass through; function_call items become tool_call_start (from
 *   `output_item.added`) + tool_call_delta; when no argument deltas came, the done event's arguments are sent.
 * - Reasoning summary deltas become reasoning_delta (parts separated by a blank line). The done reasoning item
 *   becomes a reasoning_item only for what was not streamed: its encrypted_content (with an empty summary when
 *   the summary was already streamed, so no client sees it twice), or the whole summary if none was streamed.
 * - Items that only the provider can run or a Responses client can use (web_search_call, custom_tool_call,
 *   shell_call, ...) are skipped: a Chat client has no way to receive them.
 * - `response.completed`/`response.incomplete` give usage then finish; `response.failed` and `error` throw
 *   GatewayError('upstream_error'). A stream that ends without them yields nothing more, so the client
 *   encoder reports the cut-off.
 */
export class ResponsesStreamDecoder {
  private readonly items = new Map<number, ItemState>();
  private toolCallCount = 0;
  private started = false;
  private finished = false;

  constructor(private readonly ctx: CodecContext) {}

  push(event: SseEvent): IrStreamEvent[] {
    if (event.data === '[DONE]' || this.finished) return [];
    if (event.data.trim() === '') return [];
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      // An event cut short or garbled may have been a delta of the answer: the answer is no longer whole.
      // (Keep-alive comments never get here: the SSE parser drops them.)
      throw new GatewayError('upstream_error', 'Upstream sent a stream event that is not JSON.');
    }
    if (!isJsonObject(data)) return [];
    const type = stringOrUndefined(data.type) ?? event.event;
    return this.handle(type, data);
  }

  end(): IrStreamEvent[] {
    return [];
  }

  /** `response.completed` or `response.incomplete` arrived; otherwise the stream was cut short. */
  get complete(): boolean {
    return this.finished;
  }

  private handle(type: string | undefined, data: JsonObject): IrStreamEvent[] {
    const outputIndex = numberOrUndefined(data.output_index) ?? -1;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        return this.start(data.response);
      case 'response.output_item.added':
        return [...this.start(undefined), ...this.itemAdded(outputIndex, data.item)];
      case 'response.output_text.delta':
        return this.contentDelta(outputIndex, 'text_delta', data.delta);
      case 'response.refusal.delta':
        return this.contentDelta(outputIndex, 'refusal_delta', data.delta);
      case 'response.reasoning_summary_part.added':
        return this.summaryPartAdded(outputIndex, numberOrUndefined(data.summary_index) ?? 0);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.reasoningDelta(outputIndex, data.delta);
      case 'response.function_call_arguments.delta':
        return this.argumentsDelta(outputIndex, data.delta);
      case 'response.function_call_arguments.done':
        return this.argumentsDelta(outputIndex, data.arguments, true);
      case 'response.output_item.done':
        return [...this.start(undefined), ...this.itemDone(outputIndex, data.item)];
      case 'response.completed':
      case 'response.incomplete':
        return this.finish(type, data.response);
      case 'response.failed':
        throw upstreamFailure(isJsonObject(data.response) ? data.response.error : undefined);
      case 'error':
        // Current API nests the error; older streams put code/message at the top level.
        throw upstreamFailure(isJsonObject(data.error) ? data.error : data);
      default:
        return [];
    }
  }

  private start(response: unknown): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    const body = isJsonObject(response) ? response : {};
    return [
      {
        type: 'start',
        id: stringOrUndefined(body.id) ?? this.ctx.newId('resp'),
        model: stringOrUndefined(body.model) ?? '',
        created: numberOrUndefined(body.created_at) ?? this.ctx.now(),
      },
    ];
  }

  private itemAdded(outputIndex: number, item: unknown): IrStreamEvent[] {
    if (!isJsonObject(item)) return [];
    switch (item.type) {
      case 'function_call':
        return this.startToolCall(outputIndex, item);
      case 'reasoning':
        this.items.set(outputIndex, { kind: 'reasoning', summaryStreamed: false });
        return [];
      case 'message':
        this.items.set(outputIndex, { kind: 'message', contentStreamed: false });
        return [];
      default:
        this.items.set(outputIndex, { kind: 'ignored' });
        return [];
    }
  }

  private startToolCall(outputIndex: number, item: JsonObject): IrStreamEvent[] {
    const state: ItemState = { kind: 'function_call', toolIndex: this.toolCallCount++, argumentsStreamed: false };
    this.items.set(outputIndex, state);
    const id = stringOrUndefined(item.id);
    const namespace = stringOrUndefined(item.namespace);
    return [
      {
        type: 'tool_call_start',
        index: state.toolIndex,
        callId: stringOrUndefined(item.call_id) ?? id ?? this.ctx.newId('call'),
        name: stringOrUndefined(item.name) ?? '',
        ...(namespace === undefined ? {} : { namespace }),
        ...(id === undefined ? {} : { id }),
      },
    ];
  }

  private contentDelta(outputIndex: number, type: 'text_delta' | 'refusal_delta', delta: unknown): IrStreamEvent[] {
    if (typeof delta !== 'string' || delta === '') return [];
    const state = this.items.get(outputIndex);
    if (state?.kind === 'message') state.contentStreamed = true;
    return [{ type, text: delta }];
  }

  private summaryPartAdded(outputIndex: number, summaryIndex: number): IrStreamEvent[] {
    // IR reasoning is one text: later summary parts are set apart as paragraphs, as the summaries are written.
    const state = this.items.get(outputIndex);
    return summaryIndex > 0 && state?.kind === 'reasoning' && state.summaryStreamed ? [{ type: 'reasoning_delta', text: '\n\n' }] : [];
  }

  private reasoningDelta(outputIndex: number, delta: unknown): IrStreamEvent[] {
    if (typeof delta !== 'string' || delta === '') return [];
    const state = this.items.get(outputIndex);
    if (state?.kind === 'reasoning') state.summaryStreamed = true;
    return [{ type: 'reasoning_delta', text: delta }];
  }

  /** `done` carries the full arguments: used only when no delta came for this call. */
  private argumentsDelta(outputIndex: number, value: unknown, done = false): IrStreamEvent[] {
    const state = this.items.get(outputIndex);
    if (state?.kind !== 'function_call' || typeof value !== 'string' || value === '') return [];
    if (done && state.argumentsStreamed) return [];
    state.argumentsStreamed = true;
    return [{ type: 'tool_call_delta', index: state.toolIndex, argumentsDelta: value }];
  }

  private itemDone(outputIndex: number, item: unknown): IrStreamEvent[] {
    if (!isJsonObject(item)) return [];
    const events: IrStreamEvent[] = [];
    // Some proxies send only done items: treat the item as added now.
    if (!this.items.has(outputIndex)) events.push(...this.itemAdded(outputIndex, item));
    const state = this.items.get(outputIndex);
    if (state === undefined || state.kind === 'ignored') return events;
    if (state.kind === 'function_call') {
      events.push(...this.argumentsDelta(outputIndex, item.arguments, true));
    } else if (state.kind === 'reasoning') {
      const encryptedContent = stringOrUndefined(item.encrypted_content);
      const summary = state.summaryStreamed ? [] : textsOf(item.summary);
      if (encryptedContent !== undefined || summary.length > 0) {
        const id = stringOrUndefined(item.id);
        events.push({
          type: 'reasoning_item',
          ...(id === undefined ? {} : { id }),
          summary,
          ...encryptedContentData(encryptedContent),
        });
      }
    } else if (!state.contentStreamed) {
      state.contentStreamed = true;
      const message = decodeOutputItem(item);
      for (const part of message?.kind === 'message' ? message.content : []) {
        if (part.type === 'text' && part.text !== '') events.push({ type: 'text_delta', text: part.text });
        if (part.type === 'refusal' && part.text !== '') events.push({ type: 'refusal_delta', text: part.text });
      }
    }
    return events;
  }

  private finish(type: 'response.completed' | 'response.incomplete', response: unknown): IrStreamEvent[] {
    this.finished = true;
    const body = isJsonObject(response) ? response : {};
    const events: IrStreamEvent[] = [...this.start(body)];
    // A proxy that streams nothing but the final response still delivers its output.
    if (this.items.size === 0 && Array.isArray(body.output)) {
      body.output.forEach((item: unknown, index) => events.push(...this.itemDone(index, item)));
    }
    const usage = decodeResponsesUsage(body.usage);
    if (usage !== undefined) events.push({ type: 'usage', usage });
    const reason =
      type === 'response.incomplete'
        ? finishForIncompleteReason(isJsonObject(body.incomplete_details) ? body.incomplete_details.reason : undefined)
        : this.toolCallCount > 0
          ? 'tool_calls'
          : 'stop';
    events.push({ type: 'finish', reason });
    return events;
  }
}
