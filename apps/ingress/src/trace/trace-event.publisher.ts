import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type { JetStreamClient, MsgHdrs, NatsConnection } from 'nats';
import type { GatewayConfig } from '@gw/config';
import { EVENTS_CLIENT, GATEWAY_CONFIG, TraceSubjects, type RequestFinishedEvent } from '@gw/contracts';
import { connectNats, ensureTraceStream, loadNats } from '@gw/platform';
import { InProcessClient } from '@gw/transport';
import type { RequestSpans } from './request-spans';

/** NATS's default `max_payload`, for a connection whose server info is not known yet. */
const DEFAULT_MAX_PAYLOAD = 1024 * 1024;

/** How long a finished request waits for companions before the in-process bus carries them together. */
const IN_PROCESS_BATCH_WINDOW_MS = 10;

/**
 * Fire-and-forget: the request never waits for the trace service. Distributed mode publishes to a
 * JetStream stream (durable while the trace service is down); embedded mode emits on the in-process bus,
 * one event per short window carrying every request finished in it: the bus's per-event dispatch (Nest's
 * handler pipeline, a promise chain) cost more than writing the row. The window is far shorter than the
 * writer's own, so it adds nothing to when a row is stored.
 */
@Injectable()
export class TraceEventPublisher implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(TraceEventPublisher.name);
  private readonly encoder = new TextEncoder();
  private jetstream?: Promise<{ connection: NatsConnection; client: JetStreamClient; headers: () => MsgHdrs }>;
  private window: RequestFinishedEvent[] = [];
  private windowTimer?: NodeJS.Timeout;
  private lastDelivery: Promise<void> = Promise.resolve();
  /** Set once shutdown began: requests still finishing are delivered one by one, at once. */
  private closing = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly bus: ClientProxy,
  ) {}

  /**
   * `spans` (tracing on): the request spans that have just written this request's, whose server span's
   * `traceparent` the JetStream message carries in its headers (read now: the next request writes its own).
   */
  publish(event: RequestFinishedEvent, spans?: Pick<RequestSpans, 'lastTraceparent'>): void {
    if (this.bus instanceof InProcessClient) {
      this.window.push(event);
      // While shutting down, no window: the writer's final flush must not run before the window ends.
      if (this.closing) this.deliverWindow();
      else this.windowTimer ??= setTimeout(() => this.deliverWindow(), IN_PROCESS_BATCH_WINDOW_MS);
      return;
    }
    this.publishToJetStream(event, spans?.lastTraceparent()).catch((error: unknown) => this.warn(event.requestId, error));
  }

  /** Before the trace service closes its writer: the last window reaches it and is written with its rows. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.deliverWindow();
    await this.lastDelivery;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.jetstream) return;
    const { connection } = await this.jetstream.catch(() => ({ connection: undefined }));
    await connection?.drain();
  }

  private async publishToJetStream(event: RequestFinishedEvent, traceparent: string | undefined): Promise<void> {
    this.jetstream ??= this.connectJetStream().catch((error: unknown) => {
      this.jetstream = undefined; // try again on the next event
      throw error;
    });
    const jetstream = await this.jetstream;
    const headers = jetstream.headers();
    // Deduplication id: a retried publish of the same request is stored once.
    headers.set('Nats-Msg-Id', event.requestId);
    let data = this.encoder.encode(JSON.stringify(event));
    // Captured bodies (ADR 0011) are capped, but escaping can still swell them past the server's message
    // limit: the row matters more than its bodies, so it goes without them rather than not at all.
    const limit = jetstream.connection.info?.max_payload ?? DEFAULT_MAX_PAYLOAD;
    if (event.capture !== undefined && data.length > limit) {
      this.logger.warn(`Captured bodies of request ${event.requestId} dropped: ${data.length} bytes exceed the NATS limit of ${limit}`);
      data = this.encoder.encode(JSON.stringify({ ...event, capture: undefined }));
    }
    if (traceparent !== undefined) headers.set('traceparent', traceparent);
    await jetstream.client.publish(this.config.nats.trace_subject, data, { headers });
  }

  private async connectJetStream(): Promise<{ connection: NatsConnection; client: JetStreamClient; headers: () => MsgHdrs }> {
    const connection = await connectNats(this.config.nats.url as string, 'ingress-trace-publisher');
    await ensureTraceStream(await connection.jetstreamManager(), this.config);
    return { connection, client: connection.jetstream(), headers: (await loadNats()).headers };
  }

  private deliverWindow(): void {
    clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
    const events = this.window;
    if (events.length === 0) return;
    this.window = [];
    // The events were built for this send (RequestRecord.toEvent) and are never read again here.
    this.lastDelivery = (this.bus as InProcessClient)
      .publishEvent(TraceSubjects.requestsFinished, events, { handOver: true })
      .catch((error: unknown) => this.warn(`${events.length} requests`, error));
  }

  private warn(what: string, error: unknown): void {
    this.logger.warn(`Trace event for ${what} not published: ${error instanceof Error ? error.message : String(error)}`);
  }
}
