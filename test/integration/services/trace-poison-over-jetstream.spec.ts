import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { TRACE_DURABLE_CONSUMER, type RequestFinishedEvent } from '@gw/contracts';
import { RequestLogStore, openDatabase } from '@gw/persistence';
import { connectNats, ensureTraceStream, loadNats, startBusService, traceDeadLetter } from '@gw/platform';
import { MAX_DELIVERIES } from '../../../apps/trace/src/jetstream-trace.consumer';
import { MAX_PENDING_ROWS } from '../../../apps/trace/src/request-log.writer';
import { TraceModule } from '../../../apps/trace/src/trace.module';
import { createTestDatabase, distributedTestConfig, eventually, type TestDatabase } from '../support/test-infra';
import { goodEvent, refusedEvent, surrogateEvent } from './request-log-events';

jest.setTimeout(120_000);

/** More events PostgreSQL refuses than the old consumer's max_ack_pending (1,000): they pinned it for good. */
const REFUSED_EVENTS = 1_100;

/** Distributed mode: poisoned trace events over a real JetStream into a real PostgreSQL. */
describe('poisoned trace events over JetStream never hold back the good ones', () => {
  let database: TestDatabase;
  let config: GatewayConfig;
  let dataSource: DataSource;
  let store: RequestLogStore;
  let nats: NatsConnection;
  let jsm: JetStreamManager;
  let jetstream: JetStreamClient;
  let trace: INestMicroservice | undefined;
  const encoder = new TextEncoder();

  beforeAll(async () => {
    database = await createTestDatabase();
    config = distributedTestConfig(database.url);
    dataSource = await openDatabase(database.url);
    store = new RequestLogStore(dataSource);
    nats = await connectNats(config.nats.url as string, 'it-poison');
    jsm = await nats.jetstreamManager();
    jetstream = nats.jetstream();
    await ensureTraceStream(jsm, config);
  });

  afterAll(async () => {
    await trace?.close();
    await jsm.streams.delete(config.nats.trace_stream).catch(() => false);
    await jsm.streams.delete(traceDeadLetter(config).stream).catch(() => false);
    await nats.close();
    await dataSource.destroy();
    await database.drop();
  });

  /** As ingress publishes, or as raw bytes that no ingress would send. */
  const publish = async (payload: RequestFinishedEvent | string): Promise<void> => {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await jetstream.publish(config.nats.trace_subject, encoder.encode(text), { msgID: randomUUID() });
  };

  const countConversation = (conversationKey: string, expected: number) =>
    eventually(
      () => store.countByConversation(conversationKey),
      (count) => count === expected,
      60_000,
    );

  it('stores every good event among invalid messages and refused rows, on a consumer created with the old settings', async () => {
    // The durable consumer as a deployed gateway left it: no delivery bound, max_ack_pending at its default.
    const { AckPolicy, DeliverPolicy } = await loadNats();
    await jsm.consumers.add(config.nats.trace_stream, {
      durable_name: TRACE_DURABLE_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * 1e9,
    });

    const conversation = `conv-${randomUUID()}`;
    const good: RequestFinishedEvent[] = [];
    const notEvents = ['{not json', '', '42', '{"foo":1}', '[{"requestId":"in-an-array"}]'];
    for (const text of notEvents) await publish(text);
    for (let index = 0; index < REFUSED_EVENTS; index++) {
      await publish(refusedEvent({ conversationKey: conversation }));
      if (index % 10 === 0) {
        const event = goodEvent({ conversationKey: conversation });
        good.push(event);
        await publish(event);
      }
    }
    // JSON.stringify writes a lone surrogate as the escape "\ud800": the message text of the observed request.
    const surrogate = surrogateEvent({ conversationKey: conversation });
    await publish(surrogate);

    trace = await startBusService(config, 'trace', (serviceConfig) => TraceModule.forRoot(serviceConfig));

    expect(await countConversation(conversation, good.length + 1)).toBe(good.length + 1);
    for (const event of good) expect(await store.findByRequestId(event.requestId)).not.toBeNull();
    expect(await store.findByRequestId(surrogate.requestId)).toMatchObject({
      requestedModel: '\ufffd',
      errorMessage: 'no channel serves model "\ufffd"',
      warnings: ['dropped \ufffd'],
    });

    // Every poisoned message was answered once, for good: none pending, none redelivered, all dead-lettered.
    const settled = await eventually(
      () => jsm.consumers.info(config.nats.trace_stream, TRACE_DURABLE_CONSUMER),
      (info) => info.num_ack_pending === 0 && info.num_pending === 0,
      30_000,
    );
    expect(settled.num_ack_pending).toBe(0);
    expect(settled.num_pending).toBe(0);
    expect(settled.num_redelivered).toBe(0);
    expect(settled.config.max_deliver).toBe(MAX_DELIVERIES);
    expect(settled.config.max_ack_pending).toBeLessThanOrEqual(MAX_PENDING_ROWS);
    const deadLetters = await jsm.streams.info(traceDeadLetter(config).stream);
    expect(deadLetters.state.messages).toBe(notEvents.length + REFUSED_EVENTS);
    const first = await jsm.streams.getMessage(traceDeadLetter(config).stream, { seq: deadLetters.state.first_seq });
    expect(new TextDecoder().decode(first.data)).toBe(notEvents[0]);
    expect(first.header.get('Gw-Dead-Letter-Reason')).toMatch(/^not a trace event: invalid JSON/);
    const last = await jsm.streams.getMessage(traceDeadLetter(config).stream, { seq: deadLetters.state.last_seq });
    expect(last.header.get('Gw-Dead-Letter-Reason')).toMatch(/out of range for type integer/);
  });

  it('keeps consuming: events published after the poisoned ones are stored', async () => {
    const conversation = `conv-${randomUUID()}`;
    await publish('{still not json');
    await publish(refusedEvent({ conversationKey: conversation }));
    const later = Array.from({ length: 20 }, () => goodEvent({ conversationKey: conversation }));
    for (const event of later) await publish(event);
    expect(await countConversation(conversation, later.length)).toBe(later.length);
  });
});
