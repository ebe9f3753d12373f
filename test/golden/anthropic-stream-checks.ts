/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- recorded wire JSON is read loosely, the way a client reads it */
import type { SseEvent } from '@gw/sse';

/** An Anthropic client's view of a stream: what the SDK's accumulator would build, after checking the framing. */
export interface AnthropicStreamSummary {
  id?: string;
  model?: string;
  text: string;
  thinking: string;
  signatures: string[];
  redacted: number;
  toolCalls: { id: string; name: string; input: unknown }[];
  stopReason?: string;
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
  error?: { type: string; message: string };
}

interface Block {
  type: string;
  id?: string;
  name?: string;
  json: string;
  stopped: boolean;
}

/**
 * Reads an Anthropic SSE stream the way a strict client does and throws on any framing fault: `message_start`
 * first, deltas only for started and not yet stopped blocks, every started block stopped before
 * `message_delta`, `message_stop` last — or, for a failure, `event: error` last with no `message_stop`.
 */
export function readAnthropicStream(events: SseEvent[]): AnthropicStreamSummary {
  const summary: AnthropicStreamSummary = { text: '', thinking: '', signatures: [], redacted: 0, toolCalls: [] };
  const blocks = new Map<number, Block>();
  let phase: 'before' | 'content' | 'delta' | 'stopped' | 'failed' = 'before';
  const fault = (message: string): never => {
    throw new Error(`malformed Anthropic stream: ${message}`);
  };
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, any>;
    if (event.event !== data.type) fault(`event name '${event.event}' differs from type '${data.type}'`);
    if (phase === 'stopped' || phase === 'failed') fault(`'${data.type}' after the end`);
    switch (data.type) {
      case 'message_start':
        if (phase !== 'before') fault('a second message_start');
        phase = 'content';
        summary.id = data.message.id;
        summary.model = data.message.model;
        break;
      case 'content_block_start': {
        if (phase !== 'content') fault('content_block_start outside content');
        if (blocks.has(data.index)) fault(`block ${data.index} started twice`);
        const block = data.content_block;
        blocks.set(data.index, { type: block.type, id: block.id, name: block.name, json: '', stopped: false });
        if (block.type === 'redacted_thinking') summary.redacted++;
        break;
      }
      case 'content_block_delta': {
        const block = blocks.get(data.index);
        if (block === undefined || block.stopped) fault(`delta for block ${data.index} that is not open`);
        const delta = data.delta;
        if (delta.type === 'text_delta' && block?.type === 'text') summary.text += delta.text;
        else if (delta.type === 'thinking_delta' && block?.type === 'thinking') summary.thinking += delta.thinking;
        else if (delta.type === 'signature_delta' && block?.type === 'thinking') summary.signatures.push(delta.signature);
        else if (delta.type === 'input_json_delta' && block?.type === 'tool_use') block.json += delta.partial_json;
        else fault(`delta '${delta.type}' in a '${block?.type}' block`);
        break;
      }
      case 'content_block_stop': {
        const block = blocks.get(data.index);
        if (block === undefined || block.stopped) fault(`stop for block ${data.index} that is not open`);
        if (block !== undefined) block.stopped = true;
        break;
      }
      case 'message_delta':
        if (phase !== 'content') fault('message_delta outside content');
        if ([...blocks.values()].some((block) => !block.stopped)) fault('message_delta with a block still open');
        phase = 'delta';
        summary.stopReason = data.delta.stop_reason;
        summary.usage = data.usage;
        break;
      case 'message_stop':
        if (phase !== 'delta') fault('message_stop without message_delta');
        phase = 'stopped';
        break;
      case 'error':
        if ([...blocks.values()].some((block) => !block.stopped)) fault('error with a block still open');
        phase = 'failed';
        summary.error = data.error;
        break;
      case 'ping':
        break;
      default:
        fault(`unknown event '${data.type}'`);
    }
  }
  if (phase !== 'stopped' && phase !== 'failed') fault('the stream ended without message_stop or error');
  for (const block of [...blocks.entries()].sort(([left], [right]) => left - right).map(([, block]) => block)) {
    if (block.type === 'tool_use')
      summary.toolCalls.push({ id: block.id ?? '', name: block.name ?? '', input: JSON.parse(block.json === '' ? '{}' : block.json) });
  }
  return summary;
}
