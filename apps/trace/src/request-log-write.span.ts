import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { JsMsg } from 'nats';
import { activeTelemetry, spanContextFromTraceparent } from '@gw/telemetry';

/**
 * A CONSUMER span for one trace event, from its delivery to its row's write, child of the request's server
 * span when the message carries the `traceparent` ingress set: in distributed mode each turn of a conversation
 * shows when its request-log row was stored. Undefined without tracing or without that header.
 */
export function requestLogWriteSpan(message: JsMsg, requestId: string): Span | undefined {
  const telemetry = activeTelemetry();
  if (telemetry === undefined) return undefined;
  const parent = spanContextFromTraceparent(message.headers?.get('traceparent'));
  // An event without the request's context (ingress tracing off) would be a root span of its own: none.
  if (parent === undefined) return undefined;
  return telemetry.tracer.startSpan(
    `process ${message.subject}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': message.subject,
        'messaging.operation.type': 'process',
        'ah.request_id': requestId,
      },
    },
    trace.setSpanContext(ROOT_CONTEXT, parent),
  );
}
