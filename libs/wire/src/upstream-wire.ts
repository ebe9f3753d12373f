import type { ChannelType } from '@gw/contracts';
import type { CodecContext, GatewayError, IrRequest, IrResponse, IrStreamEvent, ToolNameMap, WarningCollector } from '@gw/ir';
import type { SseEvent } from '@gw/sse';

export interface UpstreamStreamDecoder {
  push(event: SseEvent): IrStreamEvent[];
  end(): IrStreamEvent[];
  /** The stream reached its protocol's terminal event: without it the answer was cut short. */
  readonly complete: boolean;
}

/** An upstream protocol's whole wire, by channel type: where a request goes, how it is signed, its codecs. */
export interface UpstreamWire {
  channelType: ChannelType;
  /** The request's path and query, joined to the channel's base URL (Gemini names the model and streaming here). */
  requestPath(model: string, stream: boolean): string;
  /** The headers that carry the channel's credential, and any the protocol requires (Anthropic's version). */
  requestHeaders(apiKey: string): Record<string, string>;
  encodeRequest(request: IrRequest, warnings: WarningCollector): { body: unknown; toolNames?: ToolNameMap };
  decodeResponse(body: unknown, toolNames: ToolNameMap | undefined): IrResponse;
  createStreamDecoder(ctx: CodecContext, toolNames: ToolNameMap | undefined): UpstreamStreamDecoder;
  /** An upstream HTTP error (or an error object behind a success status) as the gateway's error. */
  decodeError(status: number, bodyText: string): GatewayError;
  /** Set when the protocol counts input tokens itself (Anthropic `count_tokens`, Gemini `countTokens`); without it the gateway estimates. */
  countTokens?: UpstreamTokenCounter;
}

export interface UpstreamTokenCounter {
  /** The count request's path and query under the channel's base URL. */
  requestPath(model: string): string;
  /**
   * `encodeRequest`'s body reshaped for counting: members a count request refuses (`max_tokens`, `stream`) left
   * out, or the body wrapped (Gemini's `generateContentRequest`, which names the upstream `model` again).
   */
  requestBody(encoded: unknown, model: string): unknown;
  /** The count from the upstream's answer; undefined when the answer holds none. */
  decodeCount(answer: unknown): number | undefined;
}
