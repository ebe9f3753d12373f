import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { decodeTraceExportRequest } from '../../../test/support/otlp-trace-proto';
import { EncodedSpanQueue, type EncodedBatch } from './encoded-span-queue';
import { framedInPlace } from './protobuf-batch-exporter';

const resource = resourceFromAttributes({ 'service.name': 'axonhub-gateway' });
const scope = { name: 'axonhub-gateway', version: '0.1.0' };

/** One batch of `count` spans named `${label} i`, written in place as the gateway writes request spans. */
function batch(queue: EncodedSpanQueue, label: string, count: number): EncodedBatch {
  for (let i = 0; i < count; i++) {
    const writer = queue.beginSpan(resource, scope);
    const head = {
      name: `${label} ${i}`,
      kind: SpanKind.SERVER,
      traceId: 'a'.repeat(32),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      startMs: 1,
      endMs: 2,
    };
    const start = writer.spanHead(head);
    writer.attribute('ah.request_id', `${label}-${i}-${'x'.repeat(300)}`);
    writer.spanTail(start, head, undefined, undefined);
    queue.endSpan();
  }
  return queue.take()!.batch;
}

function names(body: Uint8Array): string[] {
  const decoded = decodeTraceExportRequest(body) as { resource_spans: Array<{ scope_spans: Array<{ spans: Array<{ name: string }> }> }> };
  return decoded.resource_spans.flatMap((r) => r.scope_spans.flatMap((s) => s.spans.map((span) => span.name)));
}

/**
 * A sender as the SDK's exporter is one: it serializes within `export`, and reads the bytes only later (the
 * socket write, a retry), when the test lets an export go; then it answers.
 */
class HeldSender {
  readonly sent: Buffer[] = [];
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly serialize: (batch: EncodedBatch) => Uint8Array) {}
  export(batch: EncodedBatch, done: (result: ExportResult) => void): void {
    const bytes = this.serialize(batch);
    this.waiting.push(() => {
      this.sent.push(Buffer.from(bytes)); // what reaches the collector: the bytes as they are now
      done({ code: ExportResultCode.SUCCESS });
    });
  }
  letOneGo(): void {
    this.waiting.shift()?.();
  }
  async shutdown(): Promise<void> {}
}

describe('framedInPlace', () => {
  it('keeps each request’s bytes until its sender has answered, and frames later requests in the writers freed', async () => {
    let sender: HeldSender | undefined;
    const exporter = framedInPlace((serialize) => (sender = new HeldSender(serialize)));
    const queue = new EncodedSpanQueue(1_000);
    const results: ExportResult[] = [];
    const send = (encoded: EncodedBatch): void => exporter.export(encoded, (result) => results.push(result));

    // Two requests in flight: the second is framed while the first's bytes still wait to be sent.
    send(batch(queue, 'first', 40));
    send(batch(queue, 'second', 3));
    sender!.letOneGo();
    sender!.letOneGo();
    // Then one at a time, each framed in a writer an answered export gave back.
    for (const [label, count] of [
      ['third', 2],
      ['fourth', 60],
      ['fifth', 1],
    ] as const) {
      send(batch(queue, label, count));
      sender!.letOneGo();
    }
    expect(results.map((result) => result.code)).toEqual(Array(5).fill(ExportResultCode.SUCCESS));
    expect(sender!.sent.map(names)).toEqual([
      Array.from({ length: 40 }, (_, i) => `first ${i}`),
      ['second 0', 'second 1', 'second 2'],
      ['third 0', 'third 1'],
      Array.from({ length: 60 }, (_, i) => `fourth ${i}`),
      ['fifth 0'],
    ]);
    await exporter.shutdown();
  });
});
