import type { IrProviderData } from './items';
import type { IrFinishReason } from './response';
import type { IrUsage } from './usage';

/**
 * Neutral stream events. A stream decoder turns upstream chunks into these; a stream encoder turns them
 * into the client's wire events, holding whatever item/part state its protocol needs. Encoders close every
 * open item themselves, so decoders never have to know the client protocol's framing rules.
 */
export type IrStreamEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'reasoning_delta'; text: string }
  /**
   * Reasoning that arrives whole (Responses reasoning item with summary, Anthropic `redacted_thinking`), or
   * the end of streamed reasoning carrying the issuer's opaque state (Responses `encrypted_content`, an
   * Anthropic `signature_delta`): with an empty summary it completes the reasoning being streamed.
   */
  | { type: 'reasoning_item'; id?: string; summary: string[]; providerData?: IrProviderData }
  | { type: 'text_delta'; text: string }
  | { type: 'refusal_delta'; text: string }
  /** `index` identifies the call among this response's tool calls (Chat `tool_calls[].index`). */
  | {
      type: 'tool_call_start';
      index: number;
      callId: string;
      name: string;
      namespace?: string;
      id?: string;
      /** A freeform tool's call: its deltas are raw input text, not JSON. */
      freeform?: boolean;
      providerData?: IrProviderData;
    }
  | { type: 'tool_call_delta'; index: number; argumentsDelta: string }
  /** The whole usage known so far (parts merged with `mergeUsage`): a later event supersedes an earlier one. */
  | { type: 'usage'; usage: IrUsage }
  | { type: 'finish'; reason: IrFinishReason };
