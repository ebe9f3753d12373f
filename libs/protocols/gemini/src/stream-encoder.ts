import {
  GatewayError,
  flattenToolName,
  type CodecContext,
  type IrFinishReason,
  type IrStreamEvent,
  type IrUsage,
  type IrProviderData,
} from '@gw/ir';
import { formatSseEvent } from '@gw/sse';
import type { GeminiPart, GeminiResponse } from './gemini.schema';
import { geminiResponseId, parseArgs } from './encode-response';
import { geminiErrorFor } from './errors';
import { irFinishReasonToGemini } from './finish-reason';
import { clientSignature, GEMINI_ISSUER } from './provider-data';
import { encodeGeminiUsage } from './usage';

interface PendingCall {
  name: string;
  arguments: string;
  providerData?: IrProviderData;
}

/**
 * IR stream events → `streamGenerateContent?alt=sse` for a Gemini client: data-only SSE, each event a whole
 * `GenerateContentResponse` with one candidate holding the new parts.
 * - Text and reasoning deltas go out as they come (`thought: true` for reasoning); a Gemini signature as the
 *   empty text part Gemini itself sends it in, and another provider's reasoning state (an Anthropic signature,
 *   Responses `encrypted_content`) the same way inside the gateway's envelope: the client sends it back.
 * - Function calls go out whole (Gemini clients expect `args` as an object): held until their arguments are
 *   complete (other output, the finish), each with its signature.
 * - The last event carries `finishReason` and the whole `usageMetadata`. A failure, or a stream that ended
 *   without a finish, is Gemini's error envelope `{"error":{"code","message","status"}}` as the last event.
 */
export class GeminiStreamEncoder {
  private terminated = false;
  private id?: string;
  private readonly calls = new Map<number, PendingCall>();
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
        this.id ??= geminiResponseId(event.id, this.ctx);
        return '';
      case 'text_delta':
      case 'refusal_delta':
        return event.text === '' ? '' : this.flushCalls() + this.chunk([{ text: event.text }]);
      case 'reasoning_delta':
        return event.text === '' ? '' : this.flushCalls() + this.chunk([{ text: event.text, thought: true }]);
      case 'reasoning_item': {
        const parts: GeminiPart[] = [];
        const summary = event.summary.join('\n\n');
        if (summary !== '') parts.push({ text: summary, thought: true });
        // Gemini's own signature, or another provider's state in the gateway's envelope (the client sends it back).
        const signature = clientSignature(event.providerData);
        if (signature !== undefined) parts.push({ text: '', thoughtSignature: signature });
        return parts.length === 0 ? '' : this.flushCalls() + this.chunk(parts);
      }
      case 'tool_call_start':
        if (!this.calls.has(event.index)) {
          this.calls.set(event.index, {
            name: flattenToolName(event.name, event.namespace),
            arguments: '',
            ...(event.providerData === undefined ? {} : { providerData: event.providerData }),
          });
        }
        return '';
      case 'tool_call_delta': {
        const call = this.calls.get(event.index);
        if (call !== undefined) call.arguments += event.argumentsDelta;
        return '';
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finishReason = event.reason;
        return '';
    }
  }

  end(): string {
    if (this.terminated) return '';
    if (this.finishReason === undefined) {
      return this.fail(new GatewayError('upstream_error', 'The upstream stream ended before the response was finished'));
    }
    if (this.finishReason === 'error')
      return this.fail(new GatewayError('upstream_error', 'The upstream model ended the response with an error'));
    const parts = this.callParts();
    this.terminated = true;
    return this.chunk(parts, irFinishReasonToGemini(this.finishReason));
  }

  /** Gemini's in-stream failure: whatever calls were complete are not sent; the error envelope ends the stream. */
  fail(error: GatewayError): string {
    if (this.terminated) return '';
    this.terminated = true;
    return formatSseEvent(JSON.stringify(geminiErrorFor(error).body));
  }

  private flushCalls(): string {
    const parts = this.callParts();
    return parts.length === 0 ? '' : this.chunk(parts);
  }

  private callParts(): GeminiPart[] {
    const parts = [...this.calls.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, call]): GeminiPart => {
        const signature = call.providerData?.[GEMINI_ISSUER]?.thoughtSignature;
        return {
          functionCall: { name: call.name, args: parseArgs(call.arguments) },
          ...(typeof signature === 'string' ? { thoughtSignature: signature } : {}),
        };
      });
    this.calls.clear();
    return parts;
  }

  private chunk(parts: GeminiPart[], finishReason?: string): string {
    const response: GeminiResponse = {
      candidates: [{ content: { role: 'model', parts }, ...(finishReason === undefined ? {} : { finishReason }), index: 0 }],
      modelVersion: this.options.model,
      responseId: (this.id ??= geminiResponseId(undefined, this.ctx)),
    };
    if (finishReason !== undefined || this.usage !== undefined) response.usageMetadata = encodeGeminiUsage(this.usage);
    return formatSseEvent(JSON.stringify(response));
  }
}
