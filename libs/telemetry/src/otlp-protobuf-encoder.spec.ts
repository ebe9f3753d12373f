import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace, type Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceExportRequest } from '../../../test/support/otlp-trace-proto';
import { SpanKind, finishedSpan } from './finished-span';
import { OtlpProtobufEncoder } from './otlp-protobuf-encoder';

const resource = resourceFromAttributes({ 'service.name': 'axonhub-gateway', 'deployment.environment': 'test' });
const otherResource = resourceFromAttributes({ 'service.name': 'axonhub-auth' });
const scope = { name: 'axonhub-gateway', version: '0.1.0' };
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A request's two spans as ingress builds them, with the attribute shapes they carry. */
function requestSpans(index: number, extra: Attributes = {}): ReadableSpan[] {
  const serverSpanId = (0x1000 + index).toString(16).padStart(16, '0');
  // Sub-millisecond parts a double holds exactly, so the expected nanoseconds are exact.
  const startMs = 1_764_921_600_123.5 + index;
  const server = finishedSpan(
    {
      name: 'POST /v1/chat/completions',
      kind: SpanKind.SERVER,
      traceId: TRACE_ID,
      spanId: serverSpanId,
      startMs,
      endMs: startMs + 12.25,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'ah.request_id': `019a3c1e-7d2b-7c4e-9f1a-${String(index).padStart(12, '0')}`,
        'gen_ai.request.stream': false,
        'ah.warnings': ['unsupported_parameter: logit_bias', 'dropped: n'],
        ...extra,
      },
      links: [
        {
          context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true },
          attributes: { 'ah.link.kind': 'client_trace' },
        },
      ],
    },
    resource,
    scope,
  );
  const client = finishedSpan(
    {
      name: 'chat deepseek-chat',
      kind: SpanKind.CLIENT,
      traceId: TRACE_ID,
      spanId: (0x2000 + index).toString(16).padStart(16, '0'),
      parent: { traceId: TRACE_ID, spanId: serverSpanId, traceFlags: 1 },
      startMs: startMs + 0.5,
      endMs: startMs + 11,
      attributes: {
        'gen_ai.usage.input_tokens': 27,
        'gen_ai.response.time_to_first_chunk': 0.0123,
        'gen_ai.response.finish_reasons': ['stop'],
        'server.port': 443,
      },
      errorMessage: index % 2 === 0 ? undefined : 'upstream_error',
    },
    resource,
    scope,
  );
  return [server, client];
}

/** Spans the SDK itself made (bus spans run live): events, trace state, a remote parent, another resource. */
function liveSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: otherResource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('axonhub-bus', '2.0.0');
  const parent = {
    traceId: TRACE_ID,
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=value,other=x'),
  };
  const span = tracer.startSpan(
    'process auth.check',
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'nats', big: 2 ** 60, negative: -42, ratio: 0.25 } },
    trace.setSpanContext(ROOT_CONTEXT, parent),
  );
  span.addEvent('exception', { 'exception.type': 'TimeoutError', 'exception.escaped': true });
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'Timeout' });
  span.end();
  tracer.startSpan('internal step').end();
  return exporter.getFinishedSpans();
}

describe('OtlpProtobufEncoder', () => {
  const encoder = new OtlpProtobufEncoder();

  it('writes the same bytes as the SDK serializer for request spans, live SDK spans, two resources and two scopes', () => {
    const spans = [...requestSpans(0), ...liveSpans(), ...requestSpans(1), ...requestSpans(2)];
    const ours = Buffer.from(encoder.encode(spans));
    const sdk = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(ours.length).toBe(sdk.length);
    expect(ours.equals(sdk)).toBe(true);
  });

  it('writes the same bytes for strings of every size and alphabet (length prefixes of 1, 2 and 3 bytes)', () => {
    const strings: Attributes = {
      empty: '',
      short: 'gpt-4o',
      latin: 'café déjà vu',
      cjk: '会话 一 二',
      emoji: 'ok 👍🏽 done',
      lone: 'broken \ud800 surrogate',
      at127: 'x'.repeat(127),
      at128: 'y'.repeat(128),
      wide: 'é'.repeat(70), // 70 UTF-16 units, 140 bytes: the prefix outgrows its reservation
      long: 'z'.repeat(20_000),
      'gen_ai.input.messages': JSON.stringify({ messages: [{ role: 'user', content: 'Ünïcödé '.repeat(40_000) }] }),
      ключ: 'значение',
    };
    const spans = requestSpans(7, strings);
    const ours = Buffer.from(encoder.encode(spans));
    expect(ours.equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!))).toBe(true);
  });

  it('is read back by a protobuf decoder built from the OTLP definitions, every field where it belongs', () => {
    const [server, client] = requestSpans(3, { 'gen_ai.input.messages': '{"q":"é'.padEnd(300, '.') + '"}' });
    const decoded = decodeTraceExportRequest(encoder.encode([server!, client!])) as {
      resource_spans: Array<{
        resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> };
        scope_spans: Array<{ scope: { name: string; version: string }; spans: Array<Record<string, unknown>> }>;
      }>;
    };
    expect(decoded.resource_spans).toHaveLength(1);
    const [resourceSpans] = decoded.resource_spans;
    expect(resourceSpans!.resource.attributes).toContainEqual({ key: 'service.name', value: { string_value: 'axonhub-gateway' } });
    expect(resourceSpans!.scope_spans[0]!.scope).toMatchObject({ name: 'axonhub-gateway', version: '0.1.0' });
    const [serverSpan, clientSpan] = resourceSpans!.scope_spans[0]!.spans as Array<{
      trace_id: string;
      span_id: string;
      parent_span_id: string;
      name: string;
      kind: number;
      start_time_unix_nano: string;
      end_time_unix_nano: string;
      attributes: Array<{ key: string; value: Record<string, unknown> }>;
      links: Array<{ trace_id: string; span_id: string; flags: number; attributes: unknown[] }>;
      status: { code: number; message: string };
      flags: number;
    }>;
    expect(serverSpan).toMatchObject({
      trace_id: TRACE_ID,
      span_id: '0000000000001003',
      parent_span_id: '',
      name: 'POST /v1/chat/completions',
      kind: 2,
      start_time_unix_nano: '1764921600126500000',
      end_time_unix_nano: '1764921600138750000',
      status: { code: 0, message: '' },
      flags: 0x101,
    });
    const value = (attributes: Array<{ key: string; value: Record<string, unknown> }>, key: string): unknown =>
      attributes.find((attribute) => attribute.key === key)?.value;
    expect(value(serverSpan!.attributes, 'http.response.status_code')).toEqual({ int_value: '200' });
    expect(value(serverSpan!.attributes, 'gen_ai.request.stream')).toEqual({ bool_value: false });
    expect(value(serverSpan!.attributes, 'ah.warnings')).toEqual({
      array_value: { values: [{ string_value: 'unsupported_parameter: logit_bias' }, { string_value: 'dropped: n' }] },
    });
    expect(value(serverSpan!.attributes, 'gen_ai.input.messages')).toEqual({ string_value: '{"q":"é'.padEnd(300, '.') + '"}' });
    expect(serverSpan!.links).toEqual([
      expect.objectContaining({
        trace_id: 'a'.repeat(32),
        span_id: 'b'.repeat(16),
        flags: 0x301,
        attributes: [{ key: 'ah.link.kind', value: { string_value: 'client_trace' } }],
      }),
    ]);
    expect(clientSpan).toMatchObject({ parent_span_id: '0000000000001003', kind: 3, status: { code: 2, message: 'upstream_error' } });
    expect(value(clientSpan!.attributes, 'gen_ai.response.time_to_first_chunk')).toEqual({ double_value: 0.0123 });
  });

  it('hands out a copy: encoding the next batch leaves the previous bytes as they were', () => {
    const first = encoder.encode(requestSpans(4));
    const copy = Buffer.from(first);
    encoder.encode(requestSpans(5, { filler: 'f'.repeat(200_000) }));
    expect(Buffer.from(first).equals(copy)).toBe(true);
  });
});
