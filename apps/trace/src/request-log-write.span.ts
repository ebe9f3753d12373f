import { ROOT_CONTEXT, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { JsMsg } from 'nats';
import { activeTelemetry, spanContextFromTraceparent } from '@gw/telemetry';

/**
 * A CONSUMER span for one trace event, from its delivery to its row's write, child of the request's server
 * span when the message carries the `traceparent` ingress set: in distributed mode each turn of a conversation
 * shows when its request-log row was stored. Undefined without tracing.
 */
export function requestLogWriteSpan(message: JsMsg, requestId: string): Span | undefined {
  const telemetry = activeTelemetry();
  if (telemetry === undefined) return undefined;
  const parent = spanContextFromTraceparent(message.headers?.get('traceparent'));
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
    parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
  );
}
