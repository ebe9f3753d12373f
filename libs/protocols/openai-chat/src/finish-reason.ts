import type { IrFinishReason } from '@gw/ir';
import type { ChatFinishReason } from './chat.schema';

/**
 * Chat `finish_reason` → IR. `function_call` is the pre-tools (2023) name for a tool call that some
 * OpenAI-compatible servers still send. Vendors' own documented values are here too, as their presets
 * (`@gw/providers`) declare them: Mistral's `model_length` (cut at the model's context length) and DeepSeek's
 * `insufficient_system_resource` (cut short by the server) end an answer that is not whole, like `length`.
 * Unknown values (OpenRouter's `error`, which comes with an error object that fails the stream) read as
 * `stop`: the content already streamed is all there is.
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 */
const chatToIr: Record<string, IrFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  model_length: 'length',
  insufficient_system_resource: 'length',
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
  return Object.hasOwn(chatToIr, reason) ? chatToIr[reason]! : 'stop';
}

export function irFinishReasonToChat(reason: IrFinishReason): ChatFinishReason {
  return irToChat[reason];
}
