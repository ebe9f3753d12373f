import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { activeTelemetry, spanContextFromTraceparent } from '@gw/telemetry';
import type { MsgHdrs } from 'nats';
import { tap, type Observable } from 'rxjs';

/**
 * A SERVER span for every NATS request a service handles whose message carries a W3C `traceparent` header
 * (busRequest sets it), child of the caller's span. Messages without one (events, readiness probes, callers
 * with tracing off) make no span: a root span per message would bury the traces worth reading. Off (one
 * check) without tracing, and for the in-process bus of embedded mode, which has no headers and no hop.
 */
export class BusSpanInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const telemetry = activeTelemetry();
    if (telemetry === undefined || context.getType() !== 'rpc') return next.handle();
    const nats = context.switchToRpc().getContext<unknown>();
    if (!(nats instanceof NatsContext)) return next.handle();
    const subject = nats.getSubject();
    const headers = nats.getHeaders() as MsgHdrs | undefined;
    const caller = spanContextFromTraceparent(headers?.get('traceparent'));
    if (caller === undefined) return next.handle();
    const span = telemetry.tracer.startSpan(
      `process ${subject}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.operation.type': 'process' },
      },
      trace.setSpanContext(ROOT_CONTEXT, caller),
    );
    return next.handle().pipe(
      tap({
        // Only the error's class: a message from a store may quote input, and spans hold no request data.
        error: (error: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', error instanceof Error ? error.constructor.name : 'error');
          span.end();
        },
        complete: () => span.end(),
        unsubscribe: () => span.end(),
      }),
    );
  }
}
