import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type Link, type SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A span that already happened: its times and parent are known, so it is built whole, never "started". */
export interface FinishedSpanFields {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parent?: SpanContext;
  /** Epoch milliseconds, fractional (`performance.timeOrigin + performance.now()`). */
  startMs: number;
  endMs: number;
  attributes: Attributes;
  links?: Link[];
  /** Set for a failure; absent leaves the status unset (OpenTelemetry's "not an error"). */
  errorMessage?: string;
}

/**
 * Builds the SDK's `ReadableSpan` directly, the shape span processors and OTLP exporters take. Request spans
 * are made when a request has finished, from the timings its record already holds, so nothing lives through
 * the request and no context manager is consulted: one plain object per span instead of the SDK's
 * Span (sampler, limits, per-attribute validation, hrtime clock reads), which would cost several times as much
 * on the inference lane.
 */
export function finishedSpan(fields: FinishedSpanFields, resource: Resource, scope: InstrumentationScope): ReadableSpan {
  const startTime = toHrTime(fields.startMs);
  const endTime = toHrTime(Math.max(fields.endMs, fields.startMs));
  const context: SpanContext = { traceId: fields.traceId, spanId: fields.spanId, traceFlags: TraceFlags.SAMPLED };
  return {
    name: fields.name,
    kind: fields.kind,
    spanContext: () => context,
    parentSpanContext: fields.parent,
    startTime,
    endTime,
    duration: hrDifference(startTime, endTime),
    status: fields.errorMessage === undefined ? UNSET : { code: SpanStatusCode.ERROR, message: fields.errorMessage },
    attributes: fields.attributes,
    links: fields.links ?? NO_LINKS,
    events: [],
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

const UNSET = { code: SpanStatusCode.UNSET };
const NO_LINKS: Link[] = [];

export function toHrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  return [seconds, Math.round((epochMs - seconds * 1000) * 1e6)];
}

function hrDifference(start: HrTime, end: HrTime): HrTime {
  let seconds = end[0] - start[0];
  let nanos = end[1] - start[1];
  if (nanos < 0) {
    seconds -= 1;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

/** Epoch milliseconds of a `performance.now()` reading, with its sub-millisecond part. */
export function epochMsOf(performanceNow: number): number {
  return TIME_ORIGIN + performanceNow;
}

/** Fixed for the process's life; read once (it is a getter that goes into native code, three times a request). */
const TIME_ORIGIN = performance.timeOrigin;

export { SpanKind };
