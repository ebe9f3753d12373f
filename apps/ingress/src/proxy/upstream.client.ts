import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, type ChannelSnapshot } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import type { ClientGone } from './client-connection';
import { StreamedAnswerHandler, type UpstreamResponse } from './streamed-answer.handler';
import { WholeAnswerHandler, type UpstreamAnswer } from './whole-answer.handler';

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

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 600_000,
      connectTimeout: config.upstream.connect_timeout_ms,
      connections: 512,
    });
  }

  /** A non-streamed request, its answer read whole without a response stream (see WholeAnswerHandler). */
  async fetchAnswer(channel: ChannelSnapshot, target: UpstreamTarget, body: string | Buffer, signal: ClientGone): Promise<UpstreamAnswer> {
    try {
      const handler = new WholeAnswerHandler(this.headersTimeoutMs(channel), this.config.upstream.body_timeout_ms, signal);
      this.dispatch(channel, target, body, 'application/json', handler);
      return await handler.answer;
    } catch (error) {
      throw toGatewayError(error, channel);
    }
  }

  /** A streamed request: the body is read chunk by chunk as it arrives (see StreamedAnswerHandler). */
  async post(
    channel: ChannelSnapshot,
    target: UpstreamTarget,
    body: string | Buffer,
    signal: ClientGone,
    accept: string,
  ): Promise<UpstreamResponse> {
    try {
      const handler = new StreamedAnswerHandler(this.headersTimeoutMs(channel), this.config.upstream.body_timeout_ms, signal);
      this.dispatch(channel, target, body, accept, handler);
      return await handler.response;
    } catch (error) {
      throw toGatewayError(error, channel);
    }
  }

  private headersTimeoutMs(channel: ChannelSnapshot): number {
    return channel.timeoutMs ?? this.config.upstream.header_timeout_ms;
  }

  /** undici's own timeouts are off: the handlers keep theirs on Node timers (see TimedDispatchHandler). */
  private dispatch(
    channel: ChannelSnapshot,
    target: UpstreamTarget,
    body: string | Buffer,
    accept: string,
    handler: Dispatcher.DispatchHandler,
  ): void {
    this.agent.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept, ...target.headers },
        body,
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      handler,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * Where one upstream request goes (the channel resolved with its preset: `resolved-channels.ts`) and the
 * headers that sign it.
 */
export interface UpstreamTarget {
  origin: string;
  /** Path and query. */
  path: string;
  /** Shared by every request of the channel: never changed in place. */
  headers: Readonly<Record<string, string>>;
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
