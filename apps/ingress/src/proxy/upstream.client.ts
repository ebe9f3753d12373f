import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, type ChannelSnapshot } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import { Cancellation } from './cancellation';
import type { ClientGone } from './client-connection';
import { WholeAnswerHandler, type UpstreamAnswer } from './whole-answer.handler';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /**
   * The body chunk by chunk. Fails with undici's BodyTimeoutError (a 504) when nothing arrives for the
   * body timeout; the clock restarts at every chunk, so a long answer that keeps streaming never times out.
   */
  chunks(): AsyncGenerator<Buffer>;
  /** True when body bytes arrived with the headers and wait to be read. */
  bodyWaiting(): boolean;
}

/**
 * HTTP to upstream channels over one undici Agent: keep-alive pools per origin, no per-request TLS or
 * TCP setup once warm. The caller's signal cancels the upstream request (client disconnects).
 *
 * The header and body timeouts are ours, on Node timers, not undici's: undici keeps its timers in a list
 * swept every 500 ms, so each request left two dead timers (and what they reference) alive long enough to
 * be promoted to the old generation — a quarter of all promoted bytes under load. A Node timer is unlinked
 * when cleared and dies young. It also makes the timeouts exact instead of ~0.5 s late.
 */
@Injectable()
export class UpstreamClient implements OnApplicationShutdown {
  private readonly agent: Agent;
  /** Parsed channel URLs: a handful of channels, each parsed once instead of once per request. */
  private readonly targets = new Map<string, { origin: string; path: string }>();

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connectTimeout: config.upstream.connect_timeout_ms,
      connections: 512,
    });
  }

  /** A non-streamed request, its answer read whole without a response stream (see WholeAnswerHandler). */
  async fetchAnswer(channel: ChannelSnapshot, path: string, body: string | Buffer, signal: ClientGone): Promise<UpstreamAnswer> {
    try {
      const target = this.target(channel.baseUrl, path);
      const handler = new WholeAnswerHandler(
        channel.timeoutMs ?? this.config.upstream.header_timeout_ms,
        this.config.upstream.body_timeout_ms,
        signal,
      );
      this.agent.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: 'POST',
          headers: requestHeaders(channel, 'application/json'),
          body,
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        handler,
      );
      return await handler.answer;
    } catch (error) {
      throw toGatewayError(error, channel);
    }
  }

  /** A streamed request: the body is read chunk by chunk as it arrives. */
  async post(channel: ChannelSnapshot, path: string, body: string | Buffer, signal: ClientGone, accept: string): Promise<UpstreamResponse> {
    // Cancels this upstream request: when the client goes away, or when a timeout of ours runs out.
    const cancel = new Cancellation();
    // ClientGone lives as long as this request, so the listener needs no removal.
    signal.once('abort', () => cancel.fire());
    if (signal.aborted) cancel.fire();
    const headersTimer = setTimeout(
      () => cancel.fire(new undiciErrors.HeadersTimeoutError()),
      channel.timeoutMs ?? this.config.upstream.header_timeout_ms,
    );
    try {
      const target = this.target(channel.baseUrl, path);
      const response = await this.agent.request({
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: requestHeaders(channel, accept),
        body,
        signal: cancel,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const bodyTimeoutMs = this.config.upstream.body_timeout_ms;
      return {
        status: response.statusCode,
        headers: response.headers,
        body: response.body,
        chunks: () => timedChunks(response.body, bodyTimeoutMs, cancel),
        bodyWaiting: () => response.body.readableLength > 0,
      };
    } catch (error) {
      throw toGatewayError(error, channel);
    } finally {
      clearTimeout(headersTimer);
    }
  }

  private target(baseUrl: string, path: string): { origin: string; path: string } {
    const key = `${baseUrl} ${path}`;
    let target = this.targets.get(key);
    if (target === undefined) {
      const url = new URL(joinUrl(baseUrl, path));
      target = { origin: url.origin, path: url.pathname + url.search };
      // Channels come and go with the routing snapshot; a bounded map never holds stale ones for long.
      if (this.targets.size >= MAX_CACHED_TARGETS) this.targets.clear();
      this.targets.set(key, target);
    }
    return target;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

const MAX_CACHED_TARGETS = 1_000;

function requestHeaders(channel: ChannelSnapshot, accept: string): Record<string, string> {
  return { 'content-type': 'application/json', accept, authorization: `Bearer ${channel.apiKey}` };
}

/**
 * The body's chunks, failing after `idleTimeoutMs` of upstream silence. Only time spent waiting for the
 * upstream counts: while the consumer holds a chunk (a slow client applying backpressure), the timer
 * re-arms instead of firing, as undici's own body timeout does while its parser is paused.
 */
async function* timedChunks(body: AsyncIterable<Buffer>, idleTimeoutMs: number, cancel: Cancellation): AsyncGenerator<Buffer> {
  let waiting = true;
  const idleTimer: NodeJS.Timeout = setTimeout(() => {
    if (waiting) cancel.fire(new undiciErrors.BodyTimeoutError());
    else idleTimer.refresh();
  }, idleTimeoutMs);
  try {
    for await (const chunk of body) {
      waiting = false;
      yield chunk;
      waiting = true;
      idleTimer.refresh();
    }
  } finally {
    clearTimeout(idleTimer);
  }
}

function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** Transport failures to a channel: timeouts are 504, everything else 502. Never includes credentials. */
export function toGatewayError(error: unknown, channel: Pick<ChannelSnapshot, 'name'>): GatewayError {
  if (error instanceof GatewayError) return error;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new GatewayError('upstream_timeout', `Upstream channel "${channel.name}" timed out.`);
  }
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new GatewayError('upstream_error', `Upstream channel "${channel.name}" failed: ${reason}`);
}
