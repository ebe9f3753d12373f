import { ROOT_CONTEXT, SpanKind, trace, type AttributeValue, type Link } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTraceExportRequest } from '../../../test/support/otlp-trace-proto';
import { BoundedBatchSpanProcessor } from './bounded-batch.processor';
import { EncodedSpanQueue, type EncodedBatch } from './encoded-span-queue';
import { ObjectSpanWriter, ProtobufSpanWriter, type FinishedSpanWriter, type SpanHead } from './finished-span-writer';
import { writeExportRequest } from './otlp-protobuf-encoder';
import { OtlpProtobufWriter } from './otlp-protobuf-writer';
import { SpanAttribute } from './span-attribute';

const resource = resourceFromAttributes({ 'service.name': 'axonhub-gateway' });
const scope = { name: 'axonhub-gateway', version: '0.1.0' };
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
/** One `SpanAttribute` per key, as the gateway makes them (module constants). */
const spanAttributeByKey = new Map<string, SpanAttribute>();
const attribute = (key: string): SpanAttribute =>
  spanAttributeByKey.get(key) ?? spanAttributeByKey.set(key, new SpanAttribute(key)).get(key)!;

/** Request-shaped spans: a server span (with a remote parent or a link) and its GenAI child, every value type. */
function writeRequest(writer: FinishedSpanWriter, index: number): void {
  const serverSpanId = (0x100 + index).toString(16).padStart(16, '0');
  const client = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1, isRemote: true };
  const startMs = 1_764_921_600_000.125 + index;
  const server: SpanHead = {
    name: 'POST /v1/responses',
    kind: SpanKind.SERVER,
    traceId: TRACE_ID,
    spanId: serverSpanId,
    parent: index % 2 === 0 ? client : undefined,
    startMs,
    endMs: startMs + 20.123456,
  };
  const links: Link[] | undefined = index % 2 === 1 ? [{ context: client, attributes: { 'ah.link.kind': 'client_trace' } }] : undefined;
  const attributes: [string, AttributeValue][] = [
    ['http.response.status_code', index % 3 === 0 ? 502 : 200],
    ['ah.request_id', `req-${index}`],
    ['gen_ai.request.stream', index % 2 === 0],
    ['ah.warnings', ['one', 'twö']],
    ['ah.conversation.key', `会话-${index}-${'長'.repeat(60)}`],
    ['ah.time_to_first_byte_ms', 12.5],
    ['gen_ai.input.messages', `{"messages":"${'m'.repeat(index * 50)}"}`],
  ];
  // A run of them (with a long value, past one-byte lengths) is repeated in the GenAI span, as request spans do.
  const serverWritten = writer.begin(server);
  if (serverWritten) {
    attributes.forEach(([key, value], position) => {
      if (position === 1) writer.beginRepeatable();
      writer.attribute(attribute(key), value);
      if (position === 4) writer.endRepeatable();
    });
    writer.end(links, index % 3 === 0 ? 'upstream_error' : undefined);
  }
  // An end before the start (clock steps) ends at the start, as finishedSpan does.
  const genai: SpanHead = {
    name: 'chat deepseek-chat',
    kind: SpanKind.CLIENT,
    traceId: TRACE_ID,
    spanId: (0x200 + index).toString(16).padStart(16, '0'),
    parent: { traceId: TRACE_ID, spanId: serverSpanId, traceFlags: 1 },
    startMs: startMs + 1,
    endMs: index === 1 ? startMs : startMs + 19,
  };
  if (writer.begin(genai)) {
    writer.attribute(attribute('gen_ai.usage.input_tokens'), 1234 + index);
    if (serverWritten) writer.repeat();
    else writer.attribute(attribute('ah.request_id'), `req-${index}`);
    writer.attribute(attribute('gen_ai.response.finish_reasons'), ['stop']);
    writer.end(undefined, undefined);
  }
}

/** A span the SDK makes live (bus spans), under another resource and scope. */
function liveSpan(): ReadableSpan {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'axonhub-auth' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const parent = { traceId: TRACE_ID, spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true };
  const span = provider
    .getTracer('bus')
    .startSpan('process auth.check', { kind: SpanKind.SERVER }, trace.setSpanContext(ROOT_CONTEXT, parent));
  span.addEvent('retry', { attempt: 2 });
  span.end();
  return exporter.getFinishedSpans()[0]!;
}

/** What reached the exporter, each batch framed as the gateway's exporter frames it (in place or by copy). */
class FramingExporter {
  readonly requests: Buffer[] = [];
  private readonly writer = new OtlpProtobufWriter();
  hang = false;
  private readonly waiting: Array<() => void> = [];
  export(batch: EncodedBatch, done: (result: ExportResult) => void): void {
    // Framed as the gateway's exporter frames it: around the spans where they are (one resource), else by copy.
    const inPlace = batch.framedInPlace();
    if (inPlace !== undefined) {
      this.requests.push(Buffer.from(inPlace));
    } else {
      writeExportRequest(this.writer, batch.parts);
      this.requests.push(this.writer.takeBytes());
    }
    batch.release(); // as the gateway's exporter does: the next batches are written with the same writers
    if (this.hang) this.waiting.push(() => done({ code: ExportResultCode.SUCCESS }));
    else done({ code: ExportResultCode.SUCCESS });
  }
  release(): void {
    for (const answer of this.waiting.splice(0)) answer();
  }
  async shutdown(): Promise<void> {}
}

const limits = { maxQueueSize: 100, maxExportBatchSize: 512, scheduledDelayMs: 10_000, exportTimeoutMs: 1_000 };

function protobufPath(batchLimits = limits): {
  processor: BoundedBatchSpanProcessor<EncodedBatch>;
  writer: ProtobufSpanWriter;
  exporter: FramingExporter;
} {
  const exporter = new FramingExporter();
  const queue = new EncodedSpanQueue(batchLimits.maxExportBatchSize);
  const processor = new BoundedBatchSpanProcessor(exporter, batchLimits, 'http://collector', queue);
  return { processor, writer: new ProtobufSpanWriter(processor, queue, resource, scope), exporter };
}

describe('finished span writers', () => {
  it('write request spans in place (no span object) as the same bytes the SDK serializes from their span objects', async () => {
    const objects: ReadableSpan[] = [];
    const objectWriter = new ObjectSpanWriter(resource, scope, (span) => objects.push(span));
    const { processor, writer, exporter } = protobufPath();
    const bus = liveSpan();
    for (let index = 0; index < 6; index++) {
      writeRequest(objectWriter, index);
      writeRequest(writer, index);
      if (index === 2) {
        // A live SDK span in between: another resource, grouped apart, as the SDK's serializer groups it.
        objects.push(bus);
        processor.onEnd(bus);
      }
    }
    await processor.forceFlush();
    expect(exporter.requests).toHaveLength(1);
    const sdk = Buffer.from(ProtobufTraceSerializer.serializeRequest(objects)!);
    expect(exporter.requests[0]!.equals(sdk)).toBe(true);
    const decoded = decodeTraceExportRequest(exporter.requests[0]!) as {
      resource_spans: Array<{ scope_spans: Array<{ spans: unknown[] }> }>;
    };
    expect(decoded.resource_spans.map((entry) => entry.scope_spans[0]!.spans.length)).toEqual([12, 1]);
  });

  it('repeat a request’s attributes in its GenAI span, also when a batch closed between its two spans', async () => {
    const objects: ReadableSpan[] = [];
    const objectWriter = new ObjectSpanWriter(resource, scope, (span) => objects.push(span));
    const { processor, writer, exporter } = protobufPath({ ...limits, maxExportBatchSize: 3 });
    for (let index = 0; index < 3; index++) {
      writeRequest(objectWriter, index);
      writeRequest(writer, index); // request 1's server span ends the first batch, its GenAI span opens the next
    }
    await processor.forceFlush();
    expect(exporter.requests).toHaveLength(2);
    expect(exporter.requests[0]!.equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(objects.slice(0, 3))!))).toBe(true);
    expect(exporter.requests[1]!.equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(objects.slice(3))!))).toBe(true);
    const genai = objects.filter((span) => span.name === 'chat deepseek-chat');
    expect(genai.map((span) => span.attributes['ah.request_id'])).toEqual(['req-0', 'req-1', 'req-2']);
  });

  it('write spans of every length the same bytes as the SDK: under 128 bytes, and past 16 KB (captured bodies)', async () => {
    const objects: ReadableSpan[] = [];
    const objectWriter = new ObjectSpanWriter(resource, scope, (span) => objects.push(span));
    const { processor, writer, exporter } = protobufPath();
    for (const target of [objectWriter, writer]) {
      const head = (index: number): SpanHead => ({
        name: 'chat m',
        kind: SpanKind.CLIENT,
        traceId: TRACE_ID,
        spanId: (0x300 + index).toString(16).padStart(16, '0'),
        startMs: 1_764_921_600_000,
        endMs: 1_764_921_600_001,
      });
      if (target.begin(head(0))) target.end(undefined, undefined); // no attribute at all: ~80 bytes
      if (target.begin(head(1))) {
        // A repeated run before a body that makes the span three bytes of length long: the run moves with it.
        target.beginRepeatable();
        target.attribute(attribute('ah.channel'), 'fast-chat');
        target.endRepeatable();
        target.attribute(attribute('gen_ai.input.messages'), 'b'.repeat(20_000));
        target.end(undefined, undefined);
      }
      if (target.begin(head(2))) {
        target.repeat();
        target.end(undefined, 'failed');
      }
    }
    await processor.forceFlush();
    expect(objects).toHaveLength(3);
    expect(objects[2]!.attributes).toEqual({ 'ah.channel': 'fast-chat' });
    expect(exporter.requests[0]!.equals(Buffer.from(ProtobufTraceSerializer.serializeRequest(objects)!))).toBe(true);
  });

  it('drop a span when the queue is full (counted, nothing written) and take spans again once a batch has left', async () => {
    const { processor, writer, exporter } = protobufPath({ ...limits, maxQueueSize: 4, maxExportBatchSize: 3 });
    exporter.hang = true;
    for (let index = 0; index < 4; index++) writeRequest(writer, index); // 8 spans offered, 4 fit
    expect(processor.counts.dropped).toBe(4);
    // The first full batch (3 spans) goes at once; 1 waits, so 3 more fit while the export hangs.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(exporter.requests).toHaveLength(1);
    writeRequest(writer, 4);
    writeRequest(writer, 5);
    expect(processor.counts.dropped).toBe(4 + 1);
    exporter.hang = false;
    exporter.release();
    await processor.forceFlush();
    const spanCounts = exporter.requests.map(
      (request) =>
        (decodeTraceExportRequest(request) as { resource_spans: Array<{ scope_spans: Array<{ spans: unknown[] }> }> }).resource_spans[0]!
          .scope_spans[0]!.spans.length,
    );
    expect(spanCounts).toEqual([3, 3, 1]);
    expect(processor.counts).toEqual({ exported: 7, dropped: 5, failed: 0 });
  });
});
