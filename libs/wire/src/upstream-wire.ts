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
}
