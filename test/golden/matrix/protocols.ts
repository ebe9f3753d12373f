import {
  AnthropicStreamDecoder,
  AnthropicStreamEncoder,
  anthropicErrorFor,
  decodeAnthropicRequest,
  decodeAnthropicResponse,
  decodeAnthropicUpstreamError,
  encodeAnthropicRequest,
  encodeAnthropicResponse,
} from '@gw/protocol-anthropic-messages';
import {
  GeminiStreamDecoder,
  GeminiStreamEncoder,
  decodeGeminiRequest,
  decodeGeminiResponse,
  decodeGeminiUpstreamError,
  encodeGeminiRequest,
  encodeGeminiResponse,
  geminiErrorFor,
} from '@gw/protocol-gemini';
import { clientWires, upstreamWires } from '@gw/protocol-registry';
import { systemCodecContext } from '@gw/ir';
import type { ClientWire, UpstreamWire } from '@gw/wire';

/**
 * The protocols of the cross-protocol matrix. The registry's lists come first: a wire listed there is what the
 * gateway serves, and the matrix runs it. Protocols whose codecs exist but whose wire is not listed yet join
 * at the pure-codec level through the entries below (their codecs imported directly); once their wire is
 * listed, the registry's wire replaces the entry here without an edit.
 */
export type MatrixClient = Pick<
  ClientWire,
  'name' | 'paths' | 'decodeRequest' | 'encodeResponse' | 'createStreamEncoder' | 'errorResponse'
> & {
  nativeChannelType: string;
  /** `registry`: a listed wire, served by the gateway; `codecs`: its codecs only, not served yet. */
  source: 'registry' | 'codecs';
};

export type MatrixUpstream = Pick<UpstreamWire, 'encodeRequest' | 'decodeResponse' | 'createStreamDecoder' | 'decodeError'> & {
  channelType: string;
  source: 'registry' | 'codecs';
};

const CODEC_ONLY_CLIENTS: readonly Omit<MatrixClient, 'source'>[] = [
  {
    name: 'anthropic-messages',
    nativeChannelType: 'anthropic',
    paths: [],
    decodeRequest: (body) => decodeAnthropicRequest(body),
    encodeResponse: (response, ctx, model) => encodeAnthropicResponse(response, ctx, { model }),
    createStreamEncoder: (ctx, options) => new AnthropicStreamEncoder(ctx, { model: options.model }),
    errorResponse: anthropicErrorFor,
  },
  {
    name: 'gemini',
    nativeChannelType: 'gemini',
    paths: [],
    decodeRequest: (body, route) => decodeGeminiRequest(body, { model: route.model ?? 'gemini-client', stream: route.stream ?? false }),
    encodeResponse: (response, ctx, model) => encodeGeminiResponse(response, ctx, { model }),
    createStreamEncoder: (ctx, options) => new GeminiStreamEncoder(ctx, { model: options.model }),
    errorResponse: geminiErrorFor,
  },
];

const CODEC_ONLY_UPSTREAMS: readonly Omit<MatrixUpstream, 'source'>[] = [
  {
    channelType: 'anthropic',
    encodeRequest: (request, warnings) => encodeAnthropicRequest(request, warnings),
    decodeResponse: (body, toolNames) => decodeAnthropicResponse(body, systemCodecContext, toolNames),
    createStreamDecoder: (ctx, toolNames) => new AnthropicStreamDecoder(ctx, toolNames),
    decodeError: decodeAnthropicUpstreamError,
  },
  {
    channelType: 'gemini',
    encodeRequest: (request, warnings) => encodeGeminiRequest(request, warnings),
    decodeResponse: (body, toolNames) => decodeGeminiResponse(body, systemCodecContext, toolNames),
    createStreamDecoder: (ctx, toolNames) => new GeminiStreamDecoder(ctx, toolNames),
    decodeError: decodeGeminiUpstreamError,
  },
];

export const matrixClients: readonly MatrixClient[] = [
  // Operations served only by pass-through (embeddings) have nothing to translate: not part of the matrix.
  ...clientWires
    .filter((wire) => wire.passthroughPath === undefined)
    .map((wire): MatrixClient => ({ ...wire, nativeChannelType: wire.nativeChannelType, source: 'registry' })),
  ...CODEC_ONLY_CLIENTS.filter((codecs) => !clientWires.some((wire) => wire.name === codecs.name)).map((codecs): MatrixClient => ({
    ...codecs,
    source: 'codecs',
  })),
];

export const matrixUpstreams: readonly MatrixUpstream[] = [
  ...upstreamWires.map((wire): MatrixUpstream => ({ ...wire, channelType: wire.channelType, source: 'registry' })),
  ...CODEC_ONLY_UPSTREAMS.filter((codecs) => !upstreamWires.some((wire) => wire.channelType === codecs.channelType)).map(
    (codecs): MatrixUpstream => ({ ...codecs, source: 'codecs' }),
  ),
];

/** The upstream side of a client protocol: reads back what a client of it received (its answers, its errors). */
export function nativeUpstreamOf(client: MatrixClient): MatrixUpstream {
  const found = matrixUpstreams.find((upstream) => upstream.channelType === client.nativeChannelType);
  if (found === undefined) throw new Error(`matrix: no upstream codecs for ${client.name}'s channel type ${client.nativeChannelType}`);
  return found;
}

/** The client side of a channel type: reads back a request the gateway sent to such a channel. */
export function nativeClientOf(upstream: MatrixUpstream): MatrixClient {
  const found = matrixClients.find((client) => client.nativeChannelType === upstream.channelType);
  if (found === undefined) throw new Error(`matrix: no client codecs for channel type ${upstream.channelType}`);
  return found;
}
