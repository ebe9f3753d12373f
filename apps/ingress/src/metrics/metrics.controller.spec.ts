import { NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '@gw/metrics';
import { MetricsController } from './metrics.controller';

function replyRecorder(): { reply: FastifyReply; sent: { headers: Record<string, string>; body?: string } } {
  const sent: { headers: Record<string, string>; body?: string } = { headers: {} };
  const reply = {
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: string) {
      sent.body = body;
      return Promise.resolve(reply);
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

describe('MetricsController', () => {
  const registry = new MetricsRegistry();
  registry.counter({ name: 'demo_total', help: 'Demo.' }).labels().inc(3);

  it('answers the registry in the Prometheus text format', async () => {
    const { reply, sent } = replyRecorder();
    await new MetricsController(registry, structuredClone(DEFAULT_CONFIG)).metrics(reply);
    expect(sent.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(sent.body).toContain('demo_total 3\n');
  });

  it('is a 404 when metrics.enabled is false', async () => {
    const config: GatewayConfig = structuredClone(DEFAULT_CONFIG);
    config.metrics.enabled = false;
    const { reply, sent } = replyRecorder();
    await expect(new MetricsController(registry, config).metrics(reply)).rejects.toBeInstanceOf(NotFoundException);
    expect(sent.body).toBeUndefined();
  });
});
