import { ClientNats, NatsRecordBuilder, type ClientProxy } from '@nestjs/microservices';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { GatewayError } from '@gw/ir';
import { activeTelemetry, traceparentOf } from '@gw/telemetry';
import { firstValueFrom, timeout } from 'rxjs';

/**
 * Request/reply over the bus with a deadline. NestJS collapses remote exceptions to a message, so a
 * failed or slow service becomes an explicit `service_unavailable` here, never an unhandled rejection.
 *
 * With tracing on and NATS as the bus, the call is a CLIENT span and its W3C `traceparent` travels in the
 * NATS message headers, so the service's span for it (BusSpanInterceptor) is its child.
 */
export async function busRequest<TReply>(
  client: ClientProxy,
  subject: string,
  payload: unknown,
  timeoutMs = 5_000,
  /** False for readiness probes: a span pair every few seconds per replica would bury the traces worth reading. */
  traced = true,
): Promise<TReply> {
  const telemetry = traced && client instanceof ClientNats ? activeTelemetry() : undefined;
  const span = telemetry?.tracer.startSpan(
    `send ${subject}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'send' },
    },
    ROOT_CONTEXT,
  );
  try {
    const message = span ? await withTraceparent(payload, span) : payload;
    return await firstValueFrom(client.send<TReply>(subject, message).pipe(timeout(timeoutMs)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error);
    span?.setStatus({ code: SpanStatusCode.ERROR, message: 'service_unavailable' });
    span?.setAttribute('error.type', 'service_unavailable');
    throw new GatewayError('service_unavailable', `Internal service did not answer ${subject}: ${reason}`);
  } finally {
    span?.end();
  }
}

/** The payload as a NATS record whose headers carry the span's `traceparent` (the handler still gets the payload). */
async function withTraceparent(payload: unknown, span: Span): Promise<unknown> {
  const { headers } = await import('nats');
  const natsHeaders = headers();
  natsHeaders.set('traceparent', traceparentOf(span.spanContext()));
  return new NatsRecordBuilder(payload).setHeaders(natsHeaders).build();
}
