import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import type { RequestFinishedEvent } from '@gw/contracts';
import { RequestLogStore, openDatabase } from '@gw/persistence';
import { connectNats, createBusClient, startBusService } from '@gw/platform';
import { TraceEventPublisher } from '../../../apps/ingress/src/trace/trace-event.publisher';
import { TraceModule } from '../../../apps/trace/src/trace.module';
import { finishedEvent } from '../../support/request-finished-event';
import { createTestDatabase, distributedTestConfig, eventually, type TestDatabase } from '../support/test-infra';

/** A streamed Responses request with every usage field, so the round trip covers them all. */
function streamedEvent(conversationKey: string): RequestFinishedEvent {
  return finishedEvent({
    conversationKey,
    conversationSource: 'session-id',
    clientProtocol: 'openai-responses',
    endpoint: '/v1/responses',
    stream: true,
    ttftMs: 3.25,
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    cachedInputTokens: 0,
    reasoningTokens: 5,
    warnings: ['tool_dropped: web_search'],
  });
}

describe('trace events over real JetStream into request logs', () => {
  let database: TestDatabase;
  let config: GatewayConfig;
  let dataSource: DataSource;
  let store: RequestLogStore;
  let trace: INestMicroservice | undefined;
  let bus: ClientProxy;
  let publisher: TraceEventPublisher;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = distributedTestConfig(database.url);
    dataSource = await openDatabase(database.url);
    store = new RequestLogStore(dataSource);
    bus = createBusClient(config);
    publisher = new TraceEventPublisher(config, bus);
  });

  afterAll(async () => {
    await trace?.close();
    await publisher.onApplicationShutdown();
    await bus.close();
    const nats = await connectNats(config.nats.url as string, 'it-cleanup');
    await (await nats.jetstreamManager()).streams.delete(config.nats.trace_stream).catch(() => false);
    await nats.close();
    await dataSource.destroy();
    await database.drop();
  });

  it('writes one request-log row per published event', async () => {
    trace = await startBusService(config, 'trace', (serviceConfig) => TraceModule.forRoot(serviceConfig));
    const event = streamedEvent(`conv-${randomUUID()}`);
    publisher.publish(event);
    const row = await eventually(
      () => store.findByRequestId(event.requestId),
      (found) => found !== null,
    );
    expect(row).toMatchObject({
      requestId: event.requestId,
      conversationKey: event.conversationKey,
      mappedModel: 'deepseek-chat',
      totalTokens: 30,
      ttftMs: 3.25,
      warnings: ['tool_dropped: web_search'],
    });
  });

  it('loses no event while the trace service is down', async () => {
    await trace?.close();
    trace = undefined;
    const conversation = `conv-${randomUUID()}`;
    const events = Array.from({ length: 25 }, () => streamedEvent(conversation));
    for (const event of events) publisher.publish(event);
    // Nothing can be written yet: the only writer is down.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.countByConversation(conversation)).toBe(0);
    trace = await startBusService(config, 'trace', (serviceConfig) => TraceModule.forRoot(serviceConfig));
    const count = await eventually(
      () => store.countByConversation(conversation),
      (value) => value === events.length,
      10_000,
    );
    expect(count).toBe(events.length);
  });

  it('stores a redelivered event once (idempotent on request id)', async () => {
    const event = streamedEvent(`conv-${randomUUID()}`);
    await store.insert(event);
    await store.insert(event);
    expect(await store.countByConversation(event.conversationKey as string)).toBe(1);
  });
});
