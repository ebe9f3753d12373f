import type { IrFinishReason } from '@gw/ir';
import type { ChatFinishReason } from './chat.schema';

/**
 * Chat `finish_reason` → IR. `function_call` is the pre-tools (2023) name for a tool call that some
 * OpenAI-compatible servers still send. Unknown values (OpenRouter's `error`, vendors' own strings) read
 * as `stop`: the content already streamed is all there is.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */
const chatToIr: Record<string, IrFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

/** IR → Chat. Chat has no `error` reason: failures are sent as an error instead, so `error` only gets here as a last resort. */
const irToChat: Record<IrFinishReason, ChatFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  error: 'stop',
};

export function chatFinishReasonToIr(reason: string): IrFinishReason {
  return chatToIr[reason] ?? 'stop';
}

export function irFinishReasonToChat(reason: IrFinishReason): ChatFinishReason {
  return irToChat[reason];
}
