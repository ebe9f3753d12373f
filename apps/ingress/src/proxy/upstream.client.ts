import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, type ChannelSnapshot } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import type { ClientGone } from './client-connection';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

/**
 * HTTP to upstream channels over one undici Agent: keep-alive pools per origin, no per-request TLS or
 * TCP setup once warm. The caller's signal cancels the upstream request (client disconnects).
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

  async post(channel: ChannelSnapshot, path: string, body: string, signal: ClientGone, accept: string): Promise<UpstreamResponse> {
    try {
      const target = this.target(channel.baseUrl, path);
      const response = await this.agent.request({
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept,
          authorization: `Bearer ${channel.apiKey}`,
        },
        body,
        signal,
        headersTimeout: channel.timeoutMs ?? this.config.upstream.header_timeout_ms,
        bodyTimeout: this.config.upstream.body_timeout_ms,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw toGatewayError(error, channel);
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
