import {
  GatewayError,
  isJsonObject,
  numberOrUndefined,
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
import { decodeAnthropicStreamError } from './errors';
import { anthropicData } from './provider-data';
import { anthropicStopReasonToIr } from './stop-reason';
import { mergeAnthropicUsage } from './usage';

/** What the decoder remembers about one open content block, by its `index`. */
type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking'; signature?: string }
  | {
      kind: 'tool_use';
      toolIndex: number;
      argumentsStreamed: boolean;
      startInput: unknown;
      /** A freeform tool's call: its JSON arguments are held until the block stops, then sent unwrapped as one delta. */
      freeformArguments?: string;
    }
  | { kind: 'ignored' };

/**
 * Upstream Messages SSE → IR stream events.
 * - `message_start` gives start and the input usage; `message_delta` the output usage, merged into what
 *   `message_start` said (each `usage` event carries the whole usage so far), and the stop reason, delivered
 *   as the finish only with `message_stop`.
 * - Text and thinking deltas pass through; a thinking block's `signature_delta` is delivered when the block
 *   stops, as a `reasoning_item` holding the signature under the Anthropic issuer; `redacted_thinking` is one
 *   whole `reasoning_item`.
 * - `tool_use` blocks become tool_call_start + tool_call_delta; a call that streamed no argument text gets the
 *   start block's `input` (`{}` for a tool without arguments), so every client sees JSON arguments.
 * - `ping` and unknown events are skipped; `event: error` throws; `complete` only after `message_stop`, so a
 *   stream cut before it is reported as the failure it is, never a normal completion.
 */
export class AnthropicStreamDecoder {
  private readonly blocks = new Map<number, BlockState>();
  private toolCallCount = 0;
  private started = false;
  private stopped = false;
  private usage?: IrUsage;
  /**
   * `message_delta`'s stop reason, held until `message_stop`: a stream cut between the two is not whole, and a
   * client encoder that writes its finish at once (Chat's `finish_reason`) must not have told the client so.
   */
  private pendingFinish?: IrStreamEvent;

  constructor(
    private readonly ctx: CodecContext,
    private readonly toolNames?: ToolNameMap,
  ) {}

  push(event: SseEvent): IrStreamEvent[] {
    if (this.stopped || event.data.trim() === '') return [];
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      throw new GatewayError('upstream_error', 'Upstream sent a stream event that is not JSON.');
    }
    if (!isJsonObject(data)) return [];
    const type = stringOrUndefined(data.type) ?? stringOrUndefined(data.event) ?? event.event;
    switch (type) {
      case 'message_start':
        return this.messageStart(isJsonObject(data.message) ? data.message : {});
      case 'content_block_start':
        return this.blockStart(numberOrUndefined(data.index) ?? 0, data.content_block);
      case 'content_block_delta':
        return this.blockDelta(numberOrUndefined(data.index) ?? 0, data.delta);
      case 'content_block_stop':
        return this.blockStop(numberOrUndefined(data.index) ?? 0);
      case 'message_delta':
        return this.messageDelta(data);
      case 'message_stop': {
        this.stopped = true;
        const events = this.start({});
        // The finish is only final once the stream says so (see `messageDelta`).
        if (this.pendingFinish !== undefined) events.push(this.pendingFinish);
        this.pendingFinish = undefined;
        return events;
      }
      case 'error':
        throw decodeAnthropicStreamError(data);
      default:
        return [];
    }
  }

  end(): IrStreamEvent[] {
    return [];
  }

  /** `message_stop` arrived; otherwise the stream was cut short. */
  get complete(): boolean {
    return this.stopped;
  }

  private start(message: JsonRecord): IrStreamEvent[] {
    if (this.started) return [];
    this.started = true;
    return [
      {
        type: 'start',
        id: stringOrUndefined(message.id) ?? this.ctx.newId('msg'),
        model: stringOrUndefined(message.model) ?? '',
        created: this.ctx.now(),
      },
    ];
  }

  private messageStart(message: JsonRecord): IrStreamEvent[] {
    const events = this.start(message);
    events.push(...this.usageEvent(message.usage));
    return events;
  }

  private usageEvent(value: unknown): IrStreamEvent[] {
    const merged = mergeAnthropicUsage(this.usage, value);
    if (merged === undefined || merged === this.usage) return [];
    this.usage = merged;
    return [{ type: 'usage', usage: merged }];
  }

  private blockStart(index: number, block: unknown): IrStreamEvent[] {
    const events = this.start({});
    if (!isJsonObject(block)) return events;
    switch (block.type) {
      case 'text': {
        this.blocks.set(index, { kind: 'text' });
        const text = stringOrUndefined(block.text);
        if (text !== undefined && text !== '') events.push({ type: 'text_delta', text });
        return events;
      }
      case 'thinking': {
        this.blocks.set(index, { kind: 'thinking', signature: stringOrUndefined(block.signature) || undefined });
        const thinking = stringOrUndefined(block.thinking);
        if (thinking !== undefined && thinking !== '') events.push({ type: 'reasoning_delta', text: thinking });
        return events;
      }
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'ignored' });
        events.push({ type: 'reasoning_item', summary: [], ...anthropicData({ redactedData: stringOrUndefined(block.data) }) });
        return events;
      case 'tool_use': {
        const toolIndex = this.toolCallCount++;
        const tool = resolveToolName(this.toolNames, stringOrUndefined(block.name) ?? '');
        this.blocks.set(index, {
          kind: 'tool_use',
          toolIndex,
          argumentsStreamed: false,
          startInput: block.input,
          ...(tool.freeform === true ? { freeformArguments: '' } : {}),
        });
        events.push({ type: 'tool_call_start', index: toolIndex, callId: stringOrUndefined(block.id) ?? this.ctx.newId('toolu'), ...tool });
        return events;
      }
      default:
        // server_tool_use, web_search_tool_result, ...: run by the provider, nothing a client of another protocol can take.
        this.blocks.set(index, { kind: 'ignored' });
        return events;
    }
  }

  private blockDelta(index: number, delta: unknown): IrStreamEvent[] {
    const state = this.blocks.get(index);
    if (state === undefined || !isJsonObject(delta)) return [];
    switch (delta.type) {
      case 'text_delta': {
        const text = stringOrUndefined(delta.text);
        return state.kind === 'text' && text !== undefined && text !== '' ? [{ type: 'text_delta', text }] : [];
      }
      case 'thinking_delta': {
        const text = stringOrUndefined(delta.thinking);
        return state.kind === 'thinking' && text !== undefined && text !== '' ? [{ type: 'reasoning_delta', text }] : [];
      }
      case 'signature_delta':
        if (state.kind === 'thinking') state.signature = (state.signature ?? '') + (stringOrUndefined(delta.signature) ?? '');
        return [];
      case 'input_json_delta': {
        const partial = stringOrUndefined(delta.partial_json);
        if (state.kind !== 'tool_use' || partial === undefined || partial === '') return [];
        state.argumentsStreamed = true;
        if (state.freeformArguments !== undefined) {
          state.freeformArguments += partial;
          return [];
        }
        return [{ type: 'tool_call_delta', index: state.toolIndex, argumentsDelta: partial }];
      }
      default:
        return [];
    }
  }

  private blockStop(index: number): IrStreamEvent[] {
    const state = this.blocks.get(index);
    this.blocks.delete(index);
    if (state?.kind === 'thinking' && state.signature !== undefined && state.signature !== '') {
      return [{ type: 'reasoning_item', summary: [], ...anthropicData({ signature: state.signature }) }];
    }
    if (state?.kind === 'tool_use' && state.freeformArguments !== undefined) {
      const json = state.argumentsStreamed
        ? state.freeformArguments
        : JSON.stringify(isJsonObject(state.startInput) ? state.startInput : {});
      const input = unwrapFreeformArguments(json);
      return input === '' ? [] : [{ type: 'tool_call_delta', index: state.toolIndex, argumentsDelta: input }];
    }
    if (state?.kind === 'tool_use' && !state.argumentsStreamed) {
      const input = isJsonObject(state.startInput) ? state.startInput : {};
      return [{ type: 'tool_call_delta', index: state.toolIndex, argumentsDelta: JSON.stringify(input) }];
    }
    return [];
  }

  private messageDelta(data: JsonRecord): IrStreamEvent[] {
    const events = [...this.start({}), ...this.usageEvent(data.usage)];
    const delta = isJsonObject(data.delta) ? data.delta : {};
    const stopReason = stringOrUndefined(delta.stop_reason);
    // A refusal's explanation is the only text such an answer has: clients that show refusals get it as one.
    const stopDetails = isJsonObject(delta.stop_details) ? delta.stop_details : {};
    const explanation = stringOrUndefined(stopDetails.explanation);
    if (stopReason === 'refusal' && explanation !== undefined && explanation !== '')
      events.push({ type: 'refusal_delta', text: explanation });
    if (stopReason !== undefined) this.pendingFinish = { type: 'finish', reason: anthropicStopReasonToIr(stopReason) };
    return events;
  }
}
