import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { JSONCodec, headers as natsHeaders, type JetStreamClient, type NatsConnection } from 'nats';
import type { GatewayConfig } from '@gw/config';
import { EVENTS_CLIENT, GATEWAY_CONFIG, TraceSubjects, type RequestFinishedEvent } from '@gw/contracts';
import { connectNats, ensureTraceStream } from '@gw/platform';
import { InProcessClient } from '@gw/transport';

/**
 * Fire-and-forget: the request never waits for the trace service. Distributed mode publishes to a
 * JetStream stream (durable while the trace service is down); embedded mode emits on the in-process bus.
 */
@Injectable()
export class TraceEventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(TraceEventPublisher.name);
  private readonly codec = JSONCodec<RequestFinishedEvent>();
  private jetstream?: Promise<{ connection: NatsConnection; client: JetStreamClient }>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly bus: ClientProxy,
  ) {}

  publish(event: RequestFinishedEvent): void {
    if (this.bus instanceof InProcessClient) {
      // The event is built for this send (RequestRecord.toEvent) and never read again here.
      this.bus.publishEvent(TraceSubjects.requestFinished, event, { handOver: true }).catch((error: unknown) => this.warn(event, error));
      return;
    }
    this.publishToJetStream(event).catch((error: unknown) => this.warn(event, error));
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.jetstream) return;
    const { connection } = await this.jetstream.catch(() => ({ connection: undefined }));
    await connection?.drain();
  }

  private async publishToJetStream(event: RequestFinishedEvent): Promise<void> {
    this.jetstream ??= this.connectJetStream().catch((error: unknown) => {
      this.jetstream = undefined; // try again on the next event
      throw error;
    });
    const { client } = await this.jetstream;
    const headers = natsHeaders();
    // Deduplication id: a retried publish of the same request is stored once.
    headers.set('Nats-Msg-Id', event.requestId);
    await client.publish(this.config.nats.trace_subject, this.codec.encode(event), { headers });
  }

  private async connectJetStream(): Promise<{ connection: NatsConnection; client: JetStreamClient }> {
    const connection = await connectNats(this.config.nats.url as string, 'ingress-trace-publisher');
    await ensureTraceStream(await connection.jetstreamManager(), this.config);
    return { connection, client: connection.jetstream() };
  }

  private warn(event: RequestFinishedEvent, error: unknown): void {
    this.logger.warn(`Trace event for ${event.requestId} not published: ${error instanceof Error ? error.message : String(error)}`);
  }
}
