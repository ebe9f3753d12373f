import { parseTraceParent } from '@opentelemetry/core';
import type { SpanContext } from '@opentelemetry/api';

/** A W3C `traceparent` value (first one if repeated) as a span context; undefined when absent or malformed. */
export function spanContextFromTraceparent(value: string | string[] | undefined): SpanContext | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === '') return undefined;
  const context = parseTraceParent(first);
  if (context === null || context.traceId === ZERO_TRACE_ID || context.spanId === ZERO_SPAN_ID) return undefined;
  return { ...context, isRemote: true };
}

/** The `traceparent` value naming a span (always sampled: the gateway records every span it makes). */
export function traceparentOf(context: Pick<SpanContext, 'traceId' | 'spanId'>): string {
  return `00-${context.traceId}-${context.spanId}-01`;
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
