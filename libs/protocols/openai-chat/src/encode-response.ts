import { flattenToolName } from '@gw/ir';
import type { CodecContext, IrResponse } from '@gw/ir';
import type { ChatCompletion, ChatToolCall } from './chat.schema';
import { irFinishReasonToChat } from './finish-reason';
import { encodeChatUsage } from './usage';

/**
 * IR → the non-stream Chat Completion a client receives. Reasoning goes out as DeepSeek's
 * `reasoning_content`, the field Chat clients that display reasoning already read; Chat has no
 * namespaces, so namespaced tool calls carry their flattened name. `model` is the model the client asked
 * for (ADR 0003); an upstream that gave no time gets the gateway's clock.
 */
export function encodeChatResponse(ir: IrResponse, ctx: CodecContext, options: { model: string }): ChatCompletion {
  const texts: string[] = [];
  const refusals: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const item of ir.output) {
    switch (item.kind) {
      case 'reasoning': {
        const text = item.text ?? item.summary?.join('\n\n');
        if (text !== undefined && text !== '') reasoning.push(text);
        break;
      }
      case 'message': {
        const text = item.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
        if (text !== '') texts.push(text);
        for (const part of item.content) if (part.type === 'refusal') refusals.push(part.text);
        break;
      }
      case 'tool_call':
        toolCalls.push({
          id: item.callId,
          type: 'function',
          function: { name: flattenToolName(item.name, item.namespace), arguments: item.arguments },
        });
        break;
      case 'tool_result':
        // Never part of a model's output; nothing a Chat client could receive.
        break;
    }
  }

  const message: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    // OpenAI sends null content beside tool calls or a refusal, and "" for an empty answer.
    content: texts.length > 0 ? texts.join('\n\n') : toolCalls.length > 0 || refusals.length > 0 ? null : '',
    refusal: refusals.length > 0 ? refusals.join('') : null,
  };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  const completion: ChatCompletion = {
    id: clientCompletionId(ir.id, ctx),
    object: 'chat.completion',
    created: ir.created > 0 ? ir.created : ctx.now(),
    model: options.model,
    choices: [{ index: 0, message, finish_reason: irFinishReasonToChat(ir.finishReason), logprobs: null }],
  };
  if (ir.usage !== undefined) completion.usage = encodeChatUsage(ir.usage);
  return completion;
}

/** Ids that another protocol's clients know as theirs: a Chat client gets a `chatcmpl` id instead. */
const FOREIGN_ID = /^(resp|msg)_/;

/** The upstream's id when it is a Chat-style id (kept, it matches the provider's logs), else a minted `chatcmpl` one. */
export function clientCompletionId(upstreamId: string, ctx: CodecContext): string {
  return upstreamId === '' || FOREIGN_ID.test(upstreamId) ? ctx.newId('chatcmpl') : upstreamId;
}
