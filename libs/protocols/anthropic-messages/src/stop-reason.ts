import type { IrFinishReason } from '@gw/ir';
import type { AnthropicStopReason } from './anthropic.schema';

/**
 * Anthropic `stop_reason` → IR. `stop_sequence` is a normal stop (the IR does not say which sequence
 * matched); `pause_turn` (a long server-tool turn paused, to be continued by resending) reads as `stop`
 * because only an Anthropic client can continue it, and Anthropic to Anthropic is a pass-through;
 * `model_context_window_exceeded` is a truncation. Unknown values read as `stop`.
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
const anthropicToIr: Record<string, IrFinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** IR → Anthropic. `error` never reaches a client as a stop reason: the encoders send an error event instead. */
const irToAnthropic: Record<IrFinishReason, AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
};

export function anthropicStopReasonToIr(reason: string): IrFinishReason {
  return anthropicToIr[reason] ?? 'stop';
}

export function irFinishReasonToAnthropic(reason: IrFinishReason): AnthropicStopReason {
  return irToAnthropic[reason];
}
