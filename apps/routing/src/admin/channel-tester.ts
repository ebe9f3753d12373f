import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { CHANNEL_TEST_MAX_MS, GATEWAY_CONFIG, type ChannelTestResult, type ChannelType } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';
import { resolveChannel, type ChannelUpstreamFields } from '@gw/providers';
import { describeProbeFailure, judgeProbeAnswer, probeRequest } from './channel-probe';

export interface ChannelUnderTest extends ChannelUpstreamFields {
  type: ChannelType;
  timeoutMs: number | null;
}

/**
 * Makes the one real upstream call of "test this channel" from the routing service, which holds the
 * credential (a disabled channel is not in ingress's snapshot, and it must be testable before it is
 * enabled). Its own small connection pool: the data plane's pool lives in ingress.
 */
@Injectable()
export class ChannelTester implements OnApplicationShutdown {
  private readonly agent: Agent;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.agent = new Agent({
      connectTimeout: config.upstream.connect_timeout_ms,
      // The deadline below covers the whole call; undici's own timers stay out of its way.
      headersTimeout: CHANNEL_TEST_MAX_MS * 2,
      bodyTimeout: CHANNEL_TEST_MAX_MS * 2,
      connections: 4,
    });
  }

  /**
   * `model` is a model of the channel's, as a profile maps to it: the call goes out the way the data plane's
   * would (`resolveChannel`: the preset's path and auth, the extra headers, the channel's `model_map`).
   */
  async test(channel: ChannelUnderTest, model: string): Promise<ChannelTestResult> {
    const resolved = resolveChannel(channel);
    const redactor = new SecretRedactor(resolved.secrets);
    const timeoutMs = Math.min(channel.timeoutMs ?? this.config.upstream.header_timeout_ms, CHANNEL_TEST_MAX_MS);
    const upstreamModel = resolved.upstreamModel(model);
    const { path, body } = probeRequest(channel.type, upstreamModel);
    const target = resolved.target(upstreamModel, path);
    const at = new Date().toISOString();
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const answer = await request(target.origin + target.path, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { ...resolved.headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await answer.body.text();
      const verdict = judgeProbeAnswer(answer.statusCode, text, redactor);
      return {
        ok: verdict.ok,
        status: answer.statusCode,
        latency_ms: elapsed(),
        model,
        ...(verdict.error === undefined ? {} : { error: verdict.error }),
        at,
      };
    } catch (error) {
      return { ok: false, status: null, latency_ms: elapsed(), model, error: describeProbeFailure(error, timeoutMs, redactor), at };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.agent.close();
  }
}
