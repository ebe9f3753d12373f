import { GatewayError, flattenToolName, type CodecContext, type IrFinishReason, type IrStreamEvent, type IrUsage } from '@gw/ir';
import { formatSseEvent } from '@gw/sse';
import { anthropicErrorFor } from './errors';
import { anthropicMessageId } from './encode-response';
import { anthropicString, foreignSignature } from './provider-data';
import { irFinishReasonToAnthropic } from './stop-reason';
import { encodeAnthropicUsage } from './usage';

type OpenBlock = { index: number; kind: 'text' | 'thinking' } | { index: number; kind: 'tool_use' };

/**
 * IR stream events → Anthropic Messages SSE for the client, in the order Anthropic sends them:
 * `message_start`, then per block `content_block_start`, deltas, `content_block_stop`, then `message_delta`
 * (stop reason and the whole usage, input included, which the SDKs read from there) and `message_stop`.
 *
 * - One text or thinking block is open at a time; tool_use blocks stay open side by side until other output
 *   or the finish (Chat upstreams may interleave parallel calls' arguments), each delta naming its block.
 * - Every started block is stopped before `message_delta`, and before an error: Claude Code hangs on a stream
 *   that leaves a block open. Without a finish (upstream cut off) `end()` sends `event: error`, never `message_stop`.
 * - A signature under the Anthropic issuer closes the thinking block with `signature_delta`; another
 *   issuer's reasoning state rides in the signature as a gateway envelope (`foreignSignature`), so the client
 *   sends it back and the issuer's upstream gets it again.
 */
export class AnthropicStreamEncoder {
  private started = false;
  private terminated = false;
  private id?: string;
  private blockCount = 0;
  private current?: OpenBlock;
  private readonly toolBlocks = new Map<number, number>();
  private usage?: IrUsage;
  private finishReason?: IrFinishReason;

  constructor(
    private readonly ctx: CodecContext,
    private readonly options: { model: string },
  ) {}

  push(event: IrStreamEvent): string {
    if (this.terminated) return '';
    switch (event.type) {
      case 'start':
        if (!this.started) this.id = anthropicMessageId(event.id, this.ctx);
        return this.start();
      case 'text_delta':
      case 'refusal_delta':
        return event.text === '' ? '' : this.delta('text', { type: 'text_delta', text: event.text });
      case 'reasoning_delta':
        return event.text === '' ? '' : this.delta('thinking', { type: 'thinking_delta', thinking: event.text });
      case 'reasoning_item':
        return this.reasoningItem(event);
      case 'tool_call_start':
        return this.toolCallStart(event);
      case 'tool_call_delta': {
        const index = this.toolBlocks.get(event.index);
        if (index === undefined || event.argumentsDelta === '') return '';
        return this.emit('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: event.argumentsDelta },
        });
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finishReason = event.reason;
        return this.start() + this.closeAll();
    }
  }

  end(): string {
    if (this.terminated) return '';
    if (this.finishReason === undefined)
      return this.fail(new GatewayError('upstream_error', 'The upstream stream ended before the response was finished'));
    if (this.finishReason === 'error')
      return this.fail(new GatewayError('upstream_error', 'The upstream model ended the response with an error'));
    const text =
      this.start() +
      this.closeAll() +
      this.emit('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: irFinishReasonToAnthropic(this.finishReason), stop_sequence: null },
        usage: encodeAnthropicUsage(this.usage),
      }) +
      this.emit('message_stop', { type: 'message_stop' });
    this.terminated = true;
    return text;
  }

  /** Anthropic's in-stream failure: open blocks stopped, then `event: error` with its envelope; no `message_stop`. */
  fail(error: GatewayError): string {
    if (this.terminated) return '';
    this.terminated = true;
    const text = this.started ? this.closeAll() : '';
    return text + this.emit('error', anthropicErrorFor(error).body);
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: this.id ?? this.ctx.newId('msg'),
      type: 'message',
      role: 'assistant',
      model: this.options.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: encodeAnthropicUsage(this.usage),
    };
    return this.emit('message_start', { type: 'message_start', message });
  }

  /** A delta for the open text or thinking block, opening it (and closing other output) first. */
  private delta(kind: 'text' | 'thinking', delta: Record<string, string>): string {
    const text = this.start() + this.open(kind);
    return text + this.emit('content_block_delta', { type: 'content_block_delta', index: this.current?.index ?? 0, delta });
  }

  /** Makes a text or thinking block the open one, closing other output first. */
  private open(kind: 'text' | 'thinking'): string {
    if (this.current?.kind === kind) return '';
    const text = this.closeAll();
    const index = this.blockCount++;
    this.current = { index, kind };
    const contentBlock = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return text + this.emit('content_block_start', { type: 'content_block_start', index, content_block: contentBlock });
  }

  private reasoningItem(event: Extract<IrStreamEvent, { type: 'reasoning_item' }>): string {
    let text = this.start();
    const redactedData = anthropicString(event, 'redactedData');
    if (redactedData !== undefined) {
      text += this.closeAll();
      const index = this.blockCount++;
      text += this.emit('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'redacted_thinking', data: redactedData },
      });
      return text + this.emit('content_block_stop', { type: 'content_block_stop', index });
    }
    const summary = event.summary.join('\n\n');
    if (summary !== '') text += this.delta('thinking', { type: 'thinking_delta', thinking: summary });
    const signature = anthropicString(event, 'signature') ?? foreignSignature(event.providerData);
    if (signature !== undefined) {
      // Reasoning that arrives as state alone (nothing streamed) still gets a block to carry it.
      text += this.open('thinking');
      const index = this.current?.index ?? 0;
      text += this.emit('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } });
    }
    // The reasoning is whole: its block closes whatever state another issuer attached.
    return this.current?.kind === 'thinking' ? text + this.closeAll() : text;
  }

  private toolCallStart(event: Extract<IrStreamEvent, { type: 'tool_call_start' }>): string {
    if (this.toolBlocks.has(event.index)) return '';
    let text = this.start();
    if (this.current !== undefined) text += this.closeAll();
    const index = this.blockCount++;
    this.toolBlocks.set(event.index, index);
    const contentBlock = { type: 'tool_use', id: event.callId, name: flattenToolName(event.name, event.namespace), input: {} };
    return text + this.emit('content_block_start', { type: 'content_block_start', index, content_block: contentBlock });
  }

  /** Stops the open text/thinking block and every open tool_use block, in block order. */
  private closeAll(): string {
    const indexes = [...this.toolBlocks.values()];
    if (this.current !== undefined) indexes.push(this.current.index);
    this.current = undefined;
    this.toolBlocks.clear();
    return indexes
      .sort((left, right) => left - right)
      .map((index) => this.emit('content_block_stop', { type: 'content_block_stop', index }))
      .join('');
  }

  private emit(event: string, data: object): string {
    return formatSseEvent(JSON.stringify(data), event);
  }
}
