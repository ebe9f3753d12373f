import { type CodecContext, GatewayError, type IrFinishReason, type IrStreamEvent, type IrUsage } from '@gw/ir';
import { formatSseEvent } from '@gw/sse';
import {
  customToolCallOutputItem,
  functionCallOutputItem,
  messageOutputItem,
  outputTextPart,
  reasoningOutputItem,
  refusalPart,
} from './output-items';
import { clientEncryptedContentOf, encryptedContentOf } from './provider-data';
import { buildResponseObject, clientResponseId } from './response-object';
import type { ResponseObject, ResponsesOutputContentPart, ResponsesOutputItem, ResponsesStreamEventBody } from './responses.schema';
import { outcomeForFinish, responsesErrorCode } from './status';
import { encodeResponsesUsage } from './usage';

type ItemStatus = 'completed' | 'incomplete';

interface OpenMessage {
  outputIndex: number;
  id: string;
  parts: ResponsesOutputContentPart[];
  /** The content part being streamed; text and refusal are separate parts of the same message. */
  current?: { kind: 'output_text' | 'refusal'; text: string; contentIndex: number; ref: string };
}

interface OpenReasoning {
  outputIndex: number;
  id: string;
  /** `item_id`, `output_index`, `summary_index` as JSON members, for `emitDelta`. */
  ref: string;
  text: string;
  encryptedContent?: string;
}

interface OpenToolCall {
  outputIndex: number;
  id: string;
  callId: string;
  name: string;
  namespace?: string;
  arguments: string;
  /** A freeform tool's call: a `custom_tool_call` item whose `input` is the raw text. */
  freeform: boolean;
  /** `item_id` and `output_index` as JSON members, for `emitDelta`. */
  ref: string;
}

/**
 * IR stream events → Responses SSE text for the client, in the exact order a real OpenAI upstream sends them
 * (Codex needs `response.output_item.done` with the full item and a final `response.completed` with an id;
 * the openai SDK's accumulator needs `response.created` first and every delta to name an added item/part).
 *
 * - An item is closed as soon as another kind of output starts (text closes reasoning and tool calls, a tool
 *   call closes text and reasoning); parallel tool calls stay open side by side until `finish`.
 * - `response.completed` is written by `end()`, not at `finish`, because Chat upstreams send usage after the
 *   finish reason.
 * - Without a `finish` (upstream cut off) `end()` writes `response.failed`; `fail()` writes `response.failed`
 *   with the error's message (shown by Codex). Never a bare `error` event: Codex ignores it.
 * - The response id is the upstream's when it is a `resp_` id, else minted by `ctx` (see clientResponseId).
 */
export class ResponsesStreamEncoder {
  private sequenceNumber = 0;
  private response?: { id: string; createdAt: number };
  private terminated = false;
  private finishReason?: IrFinishReason;
  private usage?: IrUsage;
  /** Output items by output_index: undefined while the item is open. */
  private readonly outputSlots: (ResponsesOutputItem | undefined)[] = [];
  private message?: OpenMessage;
  private reasoning?: OpenReasoning;
  private readonly toolCalls = new Map<number, OpenToolCall>();

  constructor(
    private readonly ctx: CodecContext,
    private readonly options: { model: string },
  ) {}

  push(event: IrStreamEvent): string {
    if (this.terminated) return '';
    switch (event.type) {
      case 'start':
        return this.start(event.id, event.created);
      case 'reasoning_delta':
        return event.text === '' ? '' : this.reasoningDelta(event.text);
      case 'reasoning_item':
        return this.reasoningItem(event);
      case 'text_delta':
        return event.text === '' ? '' : this.contentDelta('output_text', event.text);
      case 'refusal_delta':
        return event.text === '' ? '' : this.contentDelta('refusal', event.text);
      case 'tool_call_start':
        return this.toolCallStart(event);
      case 'tool_call_delta':
        return this.toolCallDelta(event.index, event.argumentsDelta);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish': {
        this.finishReason = event.reason;
        const status: ItemStatus = outcomeForFinish(event.reason).status === 'incomplete' ? 'incomplete' : 'completed';
        return this.start() + this.closeAll(status);
      }
    }
  }

  end(): string {
    if (this.terminated) return '';
    if (this.finishReason === undefined) {
      return this.fail(new GatewayError('upstream_error', 'The upstream stream ended before the response was finished'));
    }
    const outcome = outcomeForFinish(this.finishReason);
    if (outcome.status === 'failed') {
      return this.fail(new GatewayError('upstream_error', 'The upstream model ended the response with an error'));
    }
    let text = this.start();
    const response = this.responseObject(outcome.status, { incompleteDetails: outcome.incompleteDetails });
    text += this.emit({ type: outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', response });
    this.terminated = true;
    return text;
  }

  /** Open items are not closed: the response failed, and `response.failed` lists only the finished ones. */
  fail(error: GatewayError): string {
    if (this.terminated) return '';
    let text = this.start();
    const response = this.responseObject('failed', { error: { code: responsesErrorCode(error), message: error.message } });
    text += this.emit({ type: 'response.failed', response });
    this.terminated = true;
    return text;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Writes created + in_progress once: on the IR `start`, or lazily before the first output. */
  private start(upstreamId?: string, upstreamCreated?: number): string {
    if (this.response !== undefined) return '';
    this.response = {
      id: clientResponseId(upstreamId, this.ctx),
      createdAt: upstreamCreated !== undefined && upstreamCreated > 0 ? upstreamCreated : this.ctx.now(),
    };
    const response = this.responseObject('in_progress', {});
    return this.emit({ type: 'response.created', response }) + this.emit({ type: 'response.in_progress', response });
  }

  private responseObject(
    status: ResponseObject['status'],
    extra: { error?: { code: string; message: string }; incompleteDetails?: { reason: string } | null },
  ): ResponseObject {
    const output = status === 'in_progress' ? [] : this.outputSlots.filter((item): item is ResponsesOutputItem => item !== undefined);
    return buildResponseObject({
      id: this.response?.id ?? '',
      createdAt: this.response?.createdAt ?? 0,
      model: this.options.model,
      status,
      output,
      ...(status !== 'in_progress' && this.usage !== undefined ? { usage: encodeResponsesUsage(this.usage) } : {}),
      ...extra,
    });
  }

  private emit(body: ResponsesStreamEventBody): string {
    // `type` first, as OpenAI writes it; the spread then re-sets it to the same value.
    const payload: Record<string, unknown> = { type: body.type, sequence_number: this.sequenceNumber++ };
    Object.assign(payload, body);
    return formatSseEvent(JSON.stringify(payload), body.type);
  }

  /**
   * A delta event, written straight to JSON text: deltas are nearly all of a stream's events, and an object
   * built, spread and stringified per token was the encoder's largest cost. Same members in the same order
   * as `emit` writes them: type, sequence_number, the item reference (`ref`), delta, then `tail`.
   */
  private emitDelta(type: string, ref: string, delta: string, tail = ''): string {
    const data = `{"type":"${type}","sequence_number":${this.sequenceNumber++},${ref},"delta":${JSON.stringify(delta)}${tail}}`;
    return formatSseEvent(data, type);
  }

  private addItem(item: ResponsesOutputItem): { outputIndex: number; text: string } {
    const outputIndex = this.outputSlots.length;
    this.outputSlots.push(undefined);
    return { outputIndex, text: this.emit({ type: 'response.output_item.added', output_index: outputIndex, item }) };
  }

  private doneItem(outputIndex: number, item: ResponsesOutputItem): string {
    this.outputSlots[outputIndex] = item;
    return this.emit({ type: 'response.output_item.done', output_index: outputIndex, item });
  }

  /** Closes every open item in output order. */
  private closeAll(status: ItemStatus): string {
    const closers: { outputIndex: number; close: () => string }[] = [];
    if (this.message !== undefined) closers.push({ outputIndex: this.message.outputIndex, close: () => this.closeMessage(status) });
    if (this.reasoning !== undefined) closers.push({ outputIndex: this.reasoning.outputIndex, close: () => this.closeReasoning() });
    for (const [index, call] of this.toolCalls)
      closers.push({ outputIndex: call.outputIndex, close: () => this.closeToolCall(index, status) });
    return closers
      .sort((left, right) => left.outputIndex - right.outputIndex)
      .map((closer) => closer.close())
      .join('');
  }

  private closeToolCalls(): string {
    if (this.toolCalls.size === 0) return '';
    return [...this.toolCalls.keys()].map((index) => this.closeToolCall(index, 'completed')).join('');
  }

  // ---------------------------------------------------------------- reasoning

  private reasoningDelta(delta: string): string {
    let text = this.start() + this.closeMessage('completed') + this.closeToolCalls();
    if (this.reasoning === undefined) {
      const id = this.ctx.newId('rs');
      const added = this.addItem(reasoningOutputItem(id, []));
      this.reasoning = { outputIndex: added.outputIndex, id, ref: '', text: '' };
      this.reasoning.ref = jsonMembers(this.reasoningRef(this.reasoning));
      text += added.text;
      text += this.emit({
        ...this.reasoningRef(this.reasoning),
        type: 'response.reasoning_summary_part.added',
        part: { type: 'summary_text', text: '' },
      });
    }
    this.reasoning.text += delta;
    return text + this.emitDelta('response.reasoning_summary_text.delta', this.reasoning.ref, delta);
  }

  private reasoningRef(reasoning: OpenReasoning): { item_id: string; output_index: number; summary_index: number } {
    return { item_id: reasoning.id, output_index: reasoning.outputIndex, summary_index: 0 };
  }

  private closeReasoning(): string {
    const reasoning = this.reasoning;
    if (reasoning === undefined) return '';
    this.reasoning = undefined;
    const part = { type: 'summary_text' as const, text: reasoning.text };
    return (
      this.emit({ ...this.reasoningRef(reasoning), type: 'response.reasoning_summary_text.done', text: reasoning.text }) +
      this.emit({ ...this.reasoningRef(reasoning), type: 'response.reasoning_summary_part.done', part }) +
      this.doneItem(reasoning.outputIndex, reasoningOutputItem(reasoning.id, [reasoning.text], reasoning.encryptedContent))
    );
  }

  /**
   * Whole reasoning (Responses upstream). A decoder that already streamed the summary as deltas sends this
   * with an empty summary to deliver only the encrypted content: it completes the open item instead of
   * adding a second one.
   */
  private reasoningItem(event: Extract<IrStreamEvent, { type: 'reasoning_item' }>): string {
    // Only another issuer's state (a Gemini signature after the answer text): no empty item stands in for it.
    if (this.reasoning === undefined && event.summary.length === 0 && encryptedContentOf(event) === undefined) return '';
    let text = this.start() + this.closeMessage('completed') + this.closeToolCalls();
    if (this.reasoning !== undefined && event.summary.length === 0) {
      const encryptedContent = clientEncryptedContentOf(event);
      if (encryptedContent !== undefined) this.reasoning.encryptedContent = encryptedContent;
      return text + this.closeReasoning();
    }
    text += this.closeReasoning();
    const item = reasoningOutputItem(event.id ?? this.ctx.newId('rs'), event.summary, clientEncryptedContentOf(event));
    const added = this.addItem({ ...item, summary: [] });
    return text + added.text + this.doneItem(added.outputIndex, item);
  }

  // ---------------------------------------------------------------- message text and refusal

  private contentDelta(kind: 'output_text' | 'refusal', delta: string): string {
    let text = this.start() + this.closeReasoning() + this.closeToolCalls();
    if (this.message === undefined) {
      const id = this.ctx.newId('msg');
      const added = this.addItem(messageOutputItem(id, [], 'in_progress'));
      this.message = { outputIndex: added.outputIndex, id, parts: [] };
      text += added.text;
    }
    const message = this.message;
    if (message.current?.kind !== kind) {
      text += this.closePart(message);
      const contentIndex = message.parts.length;
      message.current = { kind, text: '', contentIndex, ref: jsonMembers(this.partRef(message, contentIndex)) };
      const part = kind === 'output_text' ? outputTextPart('') : refusalPart('');
      text += this.emit({ ...this.partRef(message, contentIndex), type: 'response.content_part.added', part });
    }
    const current = message.current;
    current.text += delta;
    return (
      text +
      (kind === 'output_text'
        ? this.emitDelta('response.output_text.delta', current.ref, delta, ',"logprobs":[]')
        : this.emitDelta('response.refusal.delta', current.ref, delta))
    );
  }

  private partRef(message: OpenMessage, contentIndex: number): { item_id: string; output_index: number; content_index: number } {
    return { item_id: message.id, output_index: message.outputIndex, content_index: contentIndex };
  }

  private closePart(message: OpenMessage): string {
    const current = message.current;
    if (current === undefined) return '';
    message.current = undefined;
    const ref = this.partRef(message, current.contentIndex);
    const part = current.kind === 'output_text' ? outputTextPart(current.text) : refusalPart(current.text);
    message.parts.push(part);
    const partDone =
      current.kind === 'output_text'
        ? this.emit({ ...ref, type: 'response.output_text.done', text: current.text, logprobs: [] })
        : this.emit({ ...ref, type: 'response.refusal.done', refusal: current.text });
    return partDone + this.emit({ ...ref, type: 'response.content_part.done', part });
  }

  private closeMessage(status: ItemStatus): string {
    const message = this.message;
    if (message === undefined) return '';
    this.message = undefined;
    const text = this.closePart(message);
    return text + this.doneItem(message.outputIndex, messageOutputItem(message.id, message.parts, status));
  }

  // ---------------------------------------------------------------- tool calls

  private toolCallStart(event: Extract<IrStreamEvent, { type: 'tool_call_start' }>): string {
    // A repeated start for an open call (some Chat upstreams resend id/name) adds nothing.
    if (this.toolCalls.has(event.index)) return '';
    const text = this.start() + this.closeMessage('completed') + this.closeReasoning();
    const freeform = event.freeform === true;
    const call: OpenToolCall = {
      outputIndex: 0,
      id: event.id ?? this.ctx.newId(freeform ? 'ct' : 'fc'),
      callId: event.callId,
      name: event.name,
      ...(event.namespace === undefined ? {} : { namespace: event.namespace }),
      arguments: '',
      freeform,
      ref: '',
    };
    const added = this.addItem(toolCallOutputItem(call, 'in_progress'));
    call.outputIndex = added.outputIndex;
    call.ref = jsonMembers({ item_id: call.id, output_index: call.outputIndex });
    this.toolCalls.set(event.index, call);
    return text + added.text;
  }

  /** Deltas for a call that is not open (never started, or closed by other output) cannot be placed: dropped. */
  private toolCallDelta(index: number, delta: string): string {
    const call = this.toolCalls.get(index);
    if (call === undefined || delta === '') return '';
    call.arguments += delta;
    return this.emitDelta(
      call.freeform ? 'response.custom_tool_call_input.delta' : 'response.function_call_arguments.delta',
      call.ref,
      delta,
    );
  }

  private closeToolCall(index: number, status: ItemStatus): string {
    const call = this.toolCalls.get(index);
    if (call === undefined) return '';
    this.toolCalls.delete(index);
    const done = call.freeform
      ? this.emit({ type: 'response.custom_tool_call_input.done', item_id: call.id, output_index: call.outputIndex, input: call.arguments })
      : this.emit({
          type: 'response.function_call_arguments.done',
          item_id: call.id,
          output_index: call.outputIndex,
          name: call.name,
          arguments: call.arguments,
        });
    return done + this.doneItem(call.outputIndex, toolCallOutputItem(call, status));
  }
}

/** An object's members as JSON text, without the braces: the item reference `emitDelta` splices in. */
function jsonMembers(members: Record<string, string | number>): string {
  return JSON.stringify(members).slice(1, -1);
}

function toolCallOutputItem(call: OpenToolCall, status: ItemStatus | 'in_progress'): ResponsesOutputItem {
  return call.freeform ? customToolCallOutputItem({ ...call, input: call.arguments, status }) : functionCallOutputItem({ ...call, status });
}
