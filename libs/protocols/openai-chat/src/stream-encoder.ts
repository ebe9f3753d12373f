import { flattenToolName, toOpenAiErrorBody } from '@gw/ir';
import type { CodecContext, GatewayError, IrStreamEvent, IrUsage } from '@gw/ir';
import { SSE_DONE, formatSseEvent } from '@gw/sse';
import type { ChatCompletionChunk } from './chat.schema';
import { clientCompletionId } from './encode-response';
import { irFinishReasonToChat } from './finish-reason';
import { encodeChatUsage } from './usage';

export interface ChatStreamEncoderOptions {
  /** The client's `stream_options.include_usage`: adds OpenAI's usage chunk (empty `choices`) before `[DONE]`. */
  includeUsage: boolean;
  /** The model the client asked for, echoed in every chunk. */
  model: string;
}

type ChunkDelta = ChatCompletionChunk['choices'][number]['delta'];

/**
 * IR events → the SSE text a Chat Completions client reads, shaped like OpenAI's own stream so the
 * openai SDKs' accumulators (`.stream().finalChatCompletion()`) accept it: the first chunk carries
 * `role`, a tool call's first chunk carries `id`, `type` and `name`, and exactly one chunk has a finish_reason.
 * `push`, `end` and `fail` return the text to write ('' when there is none).
 */
export class ChatStreamEncoder {
  private id: string;
  private created: number;
  private roleSent = false;
  private finishSent = false;
  private closed = false;
  private usage: IrUsage | undefined;
  /** IR tool-call index → Chat `tool_calls[].index`, which clients expect to count 0, 1, 2, ... */
  private readonly toolCallIndexes = new Map<number, number>();

  constructor(
    private readonly ctx: CodecContext,
    private readonly options: ChatStreamEncoderOptions,
  ) {
    this.id = ctx.newId('chatcmpl');
    this.created = ctx.now();
  }

  push(event: IrStreamEvent): string {
    if (this.closed) return '';
    switch (event.type) {
      case 'start':
        // A late start must not change the id of chunks already sent.
        if (this.roleSent) return '';
        if (event.id !== '' && clientCompletionId(event.id, this.ctx) === event.id) this.id = event.id;
        if (event.created > 0) this.created = event.created;
        // OpenAI opens with a role chunk before any content; sending it now also gets bytes to the client early.
        return this.chunk({ content: '' });
      case 'reasoning_delta':
        return this.chunk({ reasoning_content: event.text });
      case 'reasoning_item': {
        const summary = event.summary.join('\n\n');
        return summary === '' ? '' : this.chunk({ reasoning_content: summary });
      }
      case 'text_delta':
        return this.chunk({ content: event.text });
      case 'refusal_delta':
        return this.chunk({ refusal: event.text });
      case 'tool_call_start': {
        const index = this.toolCallIndexes.size;
        this.toolCallIndexes.set(event.index, index);
        const name = flattenToolName(event.name, event.namespace);
        return this.chunk({ tool_calls: [{ index, id: event.callId, type: 'function', function: { name, arguments: '' } }] });
      }
      case 'tool_call_delta': {
        const index = this.toolCallIndexes.get(event.index);
        if (index === undefined) return '';
        return this.chunk({ tool_calls: [{ index, function: { arguments: event.argumentsDelta } }] });
      }
      case 'usage':
        // Held for the trailing usage chunk: OpenAI reports usage after the finish chunk, never before.
        this.usage = event.usage;
        return '';
      case 'finish':
        if (this.finishSent) return '';
        this.finishSent = true;
        return this.chunk({}, irFinishReasonToChat(event.reason));
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    let text = '';
    if (this.options.includeUsage && this.usage !== undefined) {
      text += this.frame({ ...this.envelope(), choices: [], usage: encodeChatUsage(this.usage) });
    }
    return text + SSE_DONE;
  }

  /** OpenAI's in-stream error: a chunk with only `error` (the openai SDKs throw an APIError on it), then `[DONE]`. */
  fail(error: GatewayError): string {
    if (this.closed) return '';
    this.closed = true;
    return formatSseEvent(JSON.stringify(toOpenAiErrorBody(error))) + SSE_DONE;
  }

  private chunk(delta: ChunkDelta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): string {
    if (!this.roleSent) {
      this.roleSent = true;
      delta = { role: 'assistant', ...delta };
    }
    return this.frame({ ...this.envelope(), choices: [{ index: 0, delta, finish_reason: finishReason }] });
  }

  private envelope(): Pick<ChatCompletionChunk, 'id' | 'object' | 'created' | 'model'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.options.model };
  }

  private frame(chunk: ChatCompletionChunk): string {
    return formatSseEvent(JSON.stringify(chunk));
  }
}
