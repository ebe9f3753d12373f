import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ConsumerMessages, JetStreamClient, JsMsg, MsgHdrs, NatsConnection } from 'nats';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, TRACE_DURABLE_CONSUMER } from '@gw/contracts';
import {
  connectNats,
  ensureDurableConsumer,
  ensureTraceDeadLetterStream,
  ensureTraceStream,
  loadNats,
  traceDeadLetter,
} from '@gw/platform';
import { SpanStatusCode } from '@opentelemetry/api';
import { activeTelemetry } from '@gw/telemetry';
import { MAX_PENDING_ROWS, RequestLogWriter, RowsRefusedError } from './request-log.writer';
import { requestLogWriteSpan } from './request-log-write.span';
import { parseTraceEvent } from './trace-event-message';

const SECOND_NS = 1e9;
/**
 * Deliveries of one event before it is given up on (dead-lettered), whatever the failure. With the retry
 * delays below that is about 45 minutes of a database outage; the server stops at the same bound, for an
 * event our code never answers (one that crashed the service each time).
 */
export const MAX_DELIVERIES = 50;
/** Retry delay after a failed write: doubles from 1 s, at most a minute (a database outage, usually). */
const FIRST_RETRY_DELAY_MS = 1_000;
const MAX_RETRY_DELAY_MS = 60_000;
/** Messages fetched per pull. */
const PULL_BATCH = 1_000;

/**
 * The durable consumer's settings, applied to an existing consumer too (`ensureDurableConsumer`).
 * - `max_ack_pending` below the writer's MAX_PENDING_ROWS: every delivered event fits in the writer's
 *   queue, so it is never refused for being full (a refusal would only come back as a redelivery).
 * - `max_deliver` bounds every event's deliveries; `backoff` spaces the redeliveries of events never
 *   answered (the first delivery waits 30 s for its ack, as before). A failed write answers with its own
 *   delay (`nak`), so that schedule applies only when the service died holding the event.
 */
const CONSUMER_SETTINGS = {
  ack_wait: 30 * SECOND_NS,
  backoff: [30, 60, 120, 300].map((seconds) => seconds * SECOND_NS),
  max_deliver: MAX_DELIVERIES,
  max_ack_pending: MAX_PENDING_ROWS / 2,
};

/**
 * Distributed mode: consumes trace events from a durable JetStream consumer. A message is acked only
 * after its row is written, so a crash or restart of this service loses nothing: unacked events are
 * redelivered, and the insert is idempotent on request id.
 *
 * No event can be redelivered forever, and so none can hold back the others (they used to: nak'd events
 * that could never be stored filled `max_ack_pending`, and the consumer delivered nothing more):
 * - a message that is not a trace event at all, or whose row PostgreSQL refuses for its data, is
 *   dead-lettered at once: it would fail the same way every time;
 * - any other failure (the database is down) is retried later, with a growing delay, until the event's
 *   last delivery, and then dead-lettered too.
 * Dead-lettered means copied to the dead-letter stream (`traceDeadLetter`), then terminated.
 */
@Injectable()
export class JetStreamTraceConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JetStreamTraceConsumer.name);
  private connection?: NatsConnection;
  private jetstream?: JetStreamClient;
  private headers?: () => MsgHdrs;
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly writer: RequestLogWriter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { AckPolicy, DeliverPolicy, headers } = await loadNats();
    this.headers = headers;
    this.connection = await connectNats(this.config.nats.url as string, 'trace-consumer');
    this.jetstream = this.connection.jetstream();
    const jsm = await this.connection.jetstreamManager();
    const stream = this.config.nats.trace_stream;
    await ensureTraceStream(jsm, this.config);
    await ensureTraceDeadLetterStream(jsm, this.config);
    await ensureDurableConsumer(
      jsm,
      stream,
      { durable_name: TRACE_DURABLE_CONSUMER, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All },
      CONSUMER_SETTINGS,
    );
    const consumer = await this.jetstream.consumers.get(stream, TRACE_DURABLE_CONSUMER);
    this.messages = await consumer.consume({ max_messages: PULL_BATCH });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const message of messages) this.handle(message);
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messages?.close();
    await this.loop;
    await this.connection?.drain();
  }

  /** Never throws: one message, whatever it holds, must not end the loop that delivers all the others. */
  private handle(message: JsMsg): void {
    const parsed = parseTraceEvent(message.data);
    if (typeof parsed === 'string') {
      this.logger.warn(`Trace message ${describe(message)} is not a trace event, dead-lettered: ${parsed}`);
      this.writer.metrics.deadLettered('not_a_trace_event');
      void this.deadLetter(message, `not a trace event: ${parsed}`);
      return;
    }
    // A span for the row's write, child of the request's span (its `traceparent` header), when tracing is on.
    const span = activeTelemetry() !== undefined ? requestLogWriteSpan(message, parsed.requestId) : undefined;
    // Not awaited: the writer batches rows, and each message is answered once its batch is stored.
    this.writer.write(parsed).then(
      () => {
        message.ack();
        span?.end();
      },
      (error: unknown) => {
        span
          ?.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'error')
          .setStatus({ code: SpanStatusCode.ERROR })
          .end();
        this.onWriteFailed(message, error);
      },
    );
  }

  private onWriteFailed(message: JsMsg, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    // The writer logged the refused row already, and the failed batch (once for all its events) otherwise.
    if (error instanceof RowsRefusedError) {
      this.writer.metrics.deadLettered('refused');
      void this.deadLetter(message, reason);
    } else if (message.info.redeliveryCount >= MAX_DELIVERIES) {
      this.logger.error(`Trace event ${describe(message)} still not written after ${MAX_DELIVERIES} deliveries, dead-lettered: ${reason}`);
      this.writer.metrics.deadLettered('max_deliveries');
      void this.deadLetter(message, `not written after ${MAX_DELIVERIES} deliveries: ${reason}`);
    } else {
      this.writer.metrics.retried.inc();
      message.nak(retryDelayMs(message.info.redeliveryCount));
    }
  }

  /** Copies the message to the dead-letter stream, then terminates it; if the copy fails, it is retried later. */
  private async deadLetter(message: JsMsg, reason: string): Promise<void> {
    const jetstream = this.jetstream as JetStreamClient;
    const headers = (this.headers as () => MsgHdrs)();
    headers.set('Nats-Msg-Id', `${this.config.nats.trace_stream}-${message.seq}`);
    headers.set('Gw-Dead-Letter-Reason', reason.replace(/[\r\n]+/g, ' ').slice(0, 500));
    headers.set('Gw-Original-Subject', message.subject);
    headers.set('Gw-Original-Sequence', String(message.seq));
    try {
      await jetstream.publish(traceDeadLetter(this.config).subject, message.data, { headers });
      // No reason argument: servers before 2.10 ignore a `+TERM` that carries one, and keep the event pending.
      message.term();
    } catch (error) {
      this.logger.error(
        `Trace event ${describe(message)} not dead-lettered, retried later: ${error instanceof Error ? error.message : String(error)}`,
      );
      message.nak(MAX_RETRY_DELAY_MS);
    }
  }
}

/** 1 s after the first delivery, doubling, at most a minute. */
export function retryDelayMs(deliveries: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, deliveries - 1), MAX_RETRY_DELAY_MS);
}

/** Which message, for a log line: its stream sequence and publish id, never its body. */
function describe(message: JsMsg): string {
  const id = message.headers?.get('Nats-Msg-Id');
  return id ? `#${message.seq} (${id})` : `#${message.seq}`;
}
