import type { ChannelType } from '@gw/contracts';
import {
  type CodecContext,
  type GatewayError,
  type IrRequest,
  type IrResponse,
  type IrStreamEvent,
  type ToolNameMap,
  type WarningCollector,
} from '@gw/ir';
import {
  ChatStreamDecoder,
  ChatStreamEncoder,
  decodeChatRequest,
  decodeChatResponse,
  decodeChatUpstreamError,
  encodeChatRequest,
  encodeChatResponse,
} from '@gw/protocol-openai-chat';
import {
  ResponsesStreamDecoder,
  ResponsesStreamEncoder,
  decodeResponsesRequest,
  decodeResponsesResponse,
  encodeResponsesRequest,
  encodeResponsesResponse,
} from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';

export type ClientProtocolName = 'openai-chat' | 'openai-responses';

export interface ClientStreamEncoder {
  push(event: IrStreamEvent): string;
  end(): string;
  fail(error: GatewayError): string;
}

/** What the edge needs from a client-facing protocol: decode its requests, encode answers and streams. */
export interface ClientProtocol {
  name: ClientProtocolName;
  endpoint: string;
  /** The channel type that speaks this protocol natively: requests pass through instead of being translated. */
  nativeChannelType: ChannelType;
  decodeRequest(body: unknown): IrRequest;
  encodeResponse(response: IrResponse, ctx: CodecContext, model: string): unknown;
  createStreamEncoder(ctx: CodecContext, options: { model: string; includeUsage: boolean }): ClientStreamEncoder;
}

export interface UpstreamStreamDecoder {
  push(event: SseEvent): IrStreamEvent[];
  end(): IrStreamEvent[];
  /** The stream reached its protocol's terminal event: without it the answer was cut short. */
  readonly complete: boolean;
}

/** What the data plane needs from an upstream protocol, by channel type. */
export interface UpstreamProtocol {
  channelType: ChannelType;
  path: string;
  encodeRequest(request: IrRequest, warnings: WarningCollector): { body: unknown; toolNames?: ToolNameMap };
  decodeResponse(body: unknown, toolNames: ToolNameMap | undefined): IrResponse;
  createStreamDecoder(ctx: CodecContext, toolNames: ToolNameMap | undefined): UpstreamStreamDecoder;
  decodeError(status: number, bodyText: string): GatewayError;
}

export const clientProtocols: Record<ClientProtocolName, ClientProtocol> = {
  'openai-chat': {
    name: 'openai-chat',
    endpoint: '/v1/chat/completions',
    nativeChannelType: 'openai',
    decodeRequest: decodeChatRequest,
    encodeResponse: (response, ctx, model) => encodeChatResponse(response, ctx, { model }),
    createStreamEncoder: (ctx, options) => new ChatStreamEncoder(ctx, options),
  },
  'openai-responses': {
    name: 'openai-responses',
    endpoint: '/v1/responses',
    nativeChannelType: 'openai-responses',
    decodeRequest: decodeResponsesRequest,
    encodeResponse: (response, ctx, model) => encodeResponsesResponse(response, ctx, { model }),
    createStreamEncoder: (ctx, options) => new ResponsesStreamEncoder(ctx, { model: options.model }),
  },
};

/** Both OpenAI protocols report upstream HTTP errors in the same envelope. */
const decodeOpenAiUpstreamError = decodeChatUpstreamError;

export const upstreamProtocols: Record<ChannelType, UpstreamProtocol> = {
  openai: {
    channelType: 'openai',
    path: '/chat/completions',
    encodeRequest: encodeChatRequest,
    decodeResponse: decodeChatResponse,
    createStreamDecoder: (ctx, toolNames) => new ChatStreamDecoder(ctx, toolNames),
    decodeError: decodeOpenAiUpstreamError,
  },
  'openai-responses': {
    channelType: 'openai-responses',
    path: '/responses',
    encodeRequest: encodeResponsesRequest,
    decodeResponse: (body) => decodeResponsesResponse(body),
    createStreamDecoder: (ctx) => new ResponsesStreamDecoder(ctx),
    decodeError: decodeOpenAiUpstreamError,
  },
};
