import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BoundedBatchSpanProcessor } from './bounded-batch.processor';
import { SpanKind, finishedSpan } from './finished-span';

const resource = resourceFromAttributes({ 'service.name': 'test' });

function span(index: number): ReadableSpan {
  return finishedSpan(
    {
      name: `span ${index}`,
      kind: SpanKind.SERVER,
      traceId: 'a'.repeat(32),
      spanId: index.toString(16).padStart(16, '0'),
      startMs: 1,
      endMs: 2,
      attributes: {},
    },
    resource,
    { name: 'test' },
  );
}

/** An exporter whose exports are answered by the test (or never: a collector that hangs). */
class ControlledExporter implements SpanExporter {
  readonly batches: ReadableSpan[][] = [];
  private readonly pending: Array<(result: ExportResult) => void> = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.batches.push(spans);
    this.pending.push(done);
  }
  answer(code: ExportResultCode): void {
    this.pending.shift()?.({ code, error: code === ExportResultCode.FAILED ? new Error('connect ECONNREFUSED') : undefined });
  }
  get inFlight(): number {
    return this.pending.length;
  }
  async shutdown(): Promise<void> {}
}

const limits = { maxQueueSize: 10, maxExportBatchSize: 4, scheduledDelayMs: 5, exportTimeoutMs: 200 };
const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('BoundedBatchSpanProcessor', () => {
  it('drops and counts what does not fit while the collector hangs, with one export in flight and a bounded queue', async () => {
    const exporter = new ControlledExporter();
    const processor = new BoundedBatchSpanProcessor(exporter, limits, 'http://collector');
    for (let index = 0; index < 1_000; index++) processor.onEnd(span(index));
    // onEnd never exports inline: 10 queued, the rest dropped.
    expect(processor.counts.dropped).toBe(1_000 - 10);
    await tick();
    // The first batch left the queue for the exporter (which never answers): 6 still queued, room for 4.
    expect(exporter.inFlight).toBe(1);
    expect(exporter.batches[0]).toHaveLength(4);
    for (let index = 0; index < 100; index++) processor.onEnd(span(index));
    await tick();
    expect(exporter.inFlight).toBe(1);
    expect(processor.counts.dropped).toBe(1_000 - 10 + 100 - 4);
  });

  it('counts exported and failed spans and goes on exporting after a failure', async () => {
    const exporter = new ControlledExporter();
    const processor = new BoundedBatchSpanProcessor(exporter, limits, 'http://collector');
    for (let index = 0; index < 8; index++) processor.onEnd(span(index));
    await tick();
    exporter.answer(ExportResultCode.FAILED);
    await tick();
    exporter.answer(ExportResultCode.SUCCESS);
    await tick();
    expect(processor.counts).toEqual({ exported: 4, dropped: 0, failed: 4 });
    expect(exporter.batches.map((batch) => batch.map((item) => item.name))).toEqual([
      ['span 0', 'span 1', 'span 2', 'span 3'],
      ['span 4', 'span 5', 'span 6', 'span 7'],
    ]);
  });

  it('counts an export that never answers as failed after the export timeout, then sends the next batch', async () => {
    const exporter = new ControlledExporter();
    const processor = new BoundedBatchSpanProcessor(exporter, { ...limits, exportTimeoutMs: 30 }, 'http://collector');
    for (let index = 0; index < 5; index++) processor.onEnd(span(index));
    while (exporter.batches.length < 2) await tick(5);
    expect(processor.counts.failed).toBe(4);
    expect(exporter.batches[1]).toHaveLength(1);
  });

  it('exports a partial batch after the scheduled delay, and everything on flush', async () => {
    const exporter = new ControlledExporter();
    const processor = new BoundedBatchSpanProcessor(exporter, { ...limits, scheduledDelayMs: 10_000 }, 'http://collector');
    processor.onEnd(span(1));
    await tick();
    expect(exporter.batches).toHaveLength(0);
    const flushed = processor.forceFlush();
    await tick();
    exporter.answer(ExportResultCode.SUCCESS);
    await flushed;
    expect(processor.counts.exported).toBe(1);
  });

  it('sets one timer for a full batch, however many spans finish before it fires, and exports on it', async () => {
    const exporter = new ControlledExporter();
    const processor = new BoundedBatchSpanProcessor(
      exporter,
      { ...limits, maxQueueSize: 100, scheduledDelayMs: 10_000 },
      'http://collector',
    );
    const setTimer = jest.spyOn(global, 'setTimeout');
    for (let index = 0; index < 50; index++) processor.onEnd(span(index)); // a full batch after 4, then 46 more
    const timersSet = setTimer.mock.calls.length;
    setTimer.mockRestore();
    // The scheduled delay's timer for the first span, then one due now when the batch filled.
    expect(timersSet).toBe(2);
    await tick();
    expect(exporter.batches).toHaveLength(1);
  });
});
