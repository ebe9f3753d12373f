import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumerMessages, NatsConnection } from 'nats';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, TRACE_DURABLE_CONSUMER, type RequestFinishedEvent } from '@gw/contracts';
import { connectNats, ensureTraceStream, loadNats } from '@gw/platform';
import { RequestLogWriter } from './request-log.writer';

/**
 * Distributed mode: consumes trace events from a durable JetStream consumer. A message is acked only
 * after its row is written, so a crash or restart of this service loses nothing: unacked events are
 * redelivered, and the insert is idempotent on request id.
 */
@Injectable()
export class JetStreamTraceConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JetStreamTraceConsumer.name);
  private connection?: NatsConnection;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly writer: RequestLogWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { AckPolicy, DeliverPolicy } = await loadNats();
    this.connection = await connectNats(this.config.nats.url as string, 'trace-consumer');
    const jsm = await this.connection.jetstreamManager();
    const stream = this.config.nats.trace_stream;
    await ensureTraceStream(jsm, this.config);
    await jsm.consumers.add(stream, {
      durable_name: TRACE_DURABLE_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * 1e9,
    });
    const consumer = await this.connection.jetstream().consumers.get(stream, TRACE_DURABLE_CONSUMER);
    this.messages = await consumer.consume({ max_messages: 1_000 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const message of messages) {
        // Not awaited: the writer batches rows, and each message is acked once its batch is stored.
        this.writer.write(message.json<RequestFinishedEvent>()).then(
          () => message.ack(),
          (error: unknown) => {
            this.logger.error(`Trace event not written, will be redelivered: ${error instanceof Error ? error.message : String(error)}`);
            message.nak(1_000);
          },
        );
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.connection?.drain();
  }
}
