import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import type { GatewayConfig } from '@gw/config';
import { CHANNEL_TEST_MAX_MS, GATEWAY_CONFIG, type ChannelTestResult, type ChannelType } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';
import { describeProbeFailure, judgeProbeAnswer, probeRequest, probeUrl } from './channel-probe';

export interface ChannelUnderTest {
  type: ChannelType;
  baseUrl: string;
  apiKey: string;
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

  async test(channel: ChannelUnderTest, model: string): Promise<ChannelTestResult> {
    const redactor = new SecretRedactor([channel.apiKey]);
    const timeoutMs = Math.min(channel.timeoutMs ?? this.config.upstream.header_timeout_ms, CHANNEL_TEST_MAX_MS);
    const { path, headers, body } = probeRequest(channel.type, model, channel.apiKey);
    const at = new Date().toISOString();
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      const answer = await request(probeUrl(channel.baseUrl, path), {
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
