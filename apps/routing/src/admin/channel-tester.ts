import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { CHANNEL_TEST_MAX_MS, GATEWAY_CONFIG, type ChannelTestResult } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';
import { describeProbeFailure, judgeProbeAnswer, probeRequest, type ProbedChannel } from './channel-probe';

export interface ChannelUnderTest extends ProbedChannel {
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
   * `model` is one of the channel's models, as a profile maps to it: the call goes out as the data plane's
   * would (the preset's URL and auth, the extra headers, the channel's `model_map`).
   */
  async test(channel: ChannelUnderTest, model: string): Promise<ChannelTestResult> {
    const { url, headers, body, secrets } = probeRequest(channel, model);
    const redactor = new SecretRedactor(secrets);
    const timeoutMs = Math.min(channel.timeoutMs ?? this.config.upstream.header_timeout_ms, CHANNEL_TEST_MAX_MS);
    const at = new Date().toISOString();
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const answer = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
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
