import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelType } from '@gw/contracts';
import type { CodecContext, GatewayError, IrRequest, IrResponse, IrStreamEvent } from '@gw/ir';
import type { ModelCatalogShape } from './model-catalog';
import type { PassthroughHooks } from './passthrough';

/** What the request's path says, beyond which protocol it speaks. */
export interface InboundRoute {
  /** The endpoint as the protocol documents it, for the request log (a template where the path holds the model). */
  endpoint: string;
  /** Set when the path names the model (Gemini); the body then does not. */
  model?: string;
  /** Set when the path says whether to stream (Gemini's `:streamGenerateContent`). */
  stream?: boolean;
  /**
   * Set for a path that counts the request's input tokens instead of answering it (Anthropic's
   * `/v1/messages/count_tokens`, Gemini's `:countTokens`): authenticated, decoded and model-mapped like inference, answered with
   * `encodeTokenCount`.
   */
  operation?: 'count_tokens';
}

export interface ClientStreamEncoder {
  push(event: IrStreamEvent): string;
  end(): string;
  /** The failure as the protocol reports it inside a stream that has started (the status line is gone). */
  fail(error: GatewayError): string;
}

/**
 * A client-facing protocol's whole wire: the routes it serves, where its clients put their key, its codecs,
 * its error envelope and its pass-through hooks. The ingress keeps a plain list of these and knows nothing
 * protocol-specific; a new protocol is a lib with one of these.
 */
export interface ClientWire {
  /** Recorded in request logs and metrics (`openai-chat`, `anthropic-messages`, ...). */
  name: string;
  /** The channel type that speaks this protocol natively: requests pass through instead of being translated. */
  nativeChannelType: ChannelType;
  /** POST paths served as they are (looked up in a map, before any pattern). */
  paths: readonly string[];
  /**
   * POST paths served by pattern, for protocols that put the model in the path; `query` is the URL after `?`
   * (or ''), for protocols whose query says how to answer (Gemini's `alt=sse`).
   */
  matchPath?(path: string, query: string): InboundRoute | undefined;
  /** The client's API key from where this protocol's clients send it; `query` is the URL after `?` (or ''). */
  apiKey(headers: IncomingHttpHeaders, query: string): string | undefined;
  /** Client headers a pass-through forwards to the upstream as they came (Anthropic's version and betas). */
  forwardedHeaders?: readonly string[];
  decodeRequest(body: unknown, route: InboundRoute): IrRequest;
  encodeResponse(response: IrResponse, ctx: CodecContext, model: string): unknown;
  createStreamEncoder(ctx: CodecContext, options: { model: string; includeUsage: boolean }): ClientStreamEncoder;
  /** A token count in this protocol's shape (Anthropic `{"input_tokens": n}`), for `count_tokens` routes. */
  encodeTokenCount?(inputTokens: number): unknown;
  /** An error before the answer started: the status and body this protocol's clients expect. */
  errorResponse(error: GatewayError): { status: number; body: unknown };
  passthrough: PassthroughHooks;
  /**
   * Set for an operation only a channel of `nativeChannelType` serves (OpenAI embeddings): the path under the
   * channel's base URL it goes to. There is nothing to translate, so any other channel type is refused with
   * a 400 in this wire's envelope before the upstream is called.
   */
  passthroughPath?: string;
  /** Set for a protocol whose clients list models (`GET /v1/models`, `/v1beta/models`): its list and model shapes. */
  models?: ModelCatalogShape;
}
