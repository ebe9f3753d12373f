import { Logger } from '@nestjs/common';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface BatchLimits {
  /** Spans waiting at most; a span finishing when the queue is full is dropped and counted. */
  maxQueueSize: number;
  maxExportBatchSize: number;
  /** A partial batch waits this long for companions. */
  scheduledDelayMs: number;
  /** An export that has not answered by then counts as failed, and the next batch may go. */
  exportTimeoutMs: number;
}

/** What export did so far, for the operator (logged when exports fail, readable for /metrics). */
export interface ExportCounts {
  /** Spans the receiver accepted. */
  exported: number;
  /** Spans dropped because the queue was full (the receiver is slow or down). */
  dropped: number;
  /** Spans in batches the receiver refused or never answered. */
  failed: number;
}

/** Exports fail while a collector is down: one warning per this interval at most, with the counts. */
const FAILURE_REPORT_INTERVAL_MS = 60_000;

/** Where finished spans wait for export, in whatever form the exporter takes them. */
export interface SpanQueue<Batch> {
  /** Spans waiting. */
  readonly size: number;
  push(span: ReadableSpan): void;
  /** The oldest waiting spans (at most `max`) as one batch; undefined when none wait. */
  take(max: number): { batch: Batch; spans: number } | undefined;
}

/** An exporter of batches (the SDK's SpanExporter is one, for arrays of spans). */
export interface BatchExporter<Batch> {
  export(batch: Batch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/** Span objects in an array: what the SDK's exporters take (OTLP/JSON here). */
export class ArraySpanQueue implements SpanQueue<ReadableSpan[]> {
  private spans: ReadableSpan[] = [];

  get size(): number {
    return this.spans.length;
  }

  push(span: ReadableSpan): void {
    this.spans.push(span);
  }

  take(max: number): { batch: ReadableSpan[]; spans: number } | undefined {
    if (this.spans.length === 0) return undefined;
    const batch = this.spans.length <= max ? this.spans : this.spans.slice(0, max);
    this.spans = batch === this.spans ? [] : this.spans.slice(batch.length);
    return { batch, spans: batch.length };
  }
}

/**
 * A batch span processor that never blocks a request and never grows: a finished span is queued (or dropped
 * and counted when `maxQueueSize` spans are already waiting), one export is in flight at a time, and a
 * collector that is down costs failed batches, not memory. The SDK's own BatchSpanProcessor drops too, but
 * keeps its count private and resets it; here the counts are the operator's. The queue decides the batches'
 * form: span objects (`ArraySpanQueue`), or OTLP/protobuf written as the spans finish (`EncodedSpanQueue`).
 */
export class BoundedBatchSpanProcessor<Batch = ReadableSpan[]> implements SpanProcessor {
  readonly counts: ExportCounts = { exported: 0, dropped: 0, failed: 0 };
  private readonly logger = new Logger('Tracing');
  private timer?: NodeJS.Timeout;
  /** The delay `timer` was set with. */
  private timerDelayMs = 0;
  private exporting?: Promise<void>;
  private lastFailureReportAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly exporter: BatchExporter<Batch>,
    private readonly limits: BatchLimits,
    /** Where spans go, for the failure warning (never with its headers). */
    private readonly target: string,
    private readonly queue: SpanQueue<Batch> = new ArraySpanQueue() as unknown as SpanQueue<Batch>,
  ) {}

  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    if (!this.admit()) return;
    this.queue.push(span);
    this.added();
  }

  /** Whether one more span may be queued; when not, it is dropped and counted. */
  admit(): boolean {
    if (this.closed) return false;
    if (this.queue.size >= this.limits.maxQueueSize) {
      this.counts.dropped++;
      return false;
    }
    return true;
  }

  /** A span was queued (by `onEnd`, or written into the queue in place after `admit`). */
  added(): void {
    if (this.queue.size >= this.limits.maxExportBatchSize) this.exportSoon(0);
    else this.exportSoon(this.limits.scheduledDelayMs);
  }

  /** Exports what is queued now (in batches, one after the other), within the export timeout per batch. */
  async forceFlush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.exporting) await this.exporting;
    while (this.queue.size > 0) await this.exportBatch();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    await this.exporter.shutdown();
  }

  private exportSoon(delayMs: number): void {
    if (this.exporting) return; // the running export schedules the next batch when it settles
    if (this.timer !== undefined) {
      // A timer already due as soon is kept: made again for each span that finishes before it fires, it would
      // cost a timer per span and, pushed back each time, not fire while spans keep coming.
      if (delayMs > 0 || this.timerDelayMs === 0) return;
      clearTimeout(this.timer);
    }
    this.timerDelayMs = delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exportBatch();
    }, delayMs);
    // A timer for spans must never keep a stopping process alive; shutdown flushes what is left.
    this.timer.unref();
  }

  private exportBatch(): Promise<void> {
    if (this.exporting) return this.exporting;
    const next = this.queue.take(this.limits.maxExportBatchSize);
    if (next === undefined) return Promise.resolve();
    this.exporting = this.send(next.batch, next.spans).finally(() => {
      this.exporting = undefined;
      if (this.queue.size > 0 && !this.closed) {
        this.exportSoon(this.queue.size >= this.limits.maxExportBatchSize ? 0 : this.limits.scheduledDelayMs);
      }
    });
    return this.exporting;
  }

  private send(batch: Batch, spans: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (result.code === ExportResultCode.SUCCESS) this.counts.exported += spans;
        else this.exportFailed(spans, result.error);
        resolve();
      };
      const deadline = setTimeout(
        () => settle({ code: ExportResultCode.FAILED, error: new Error(`no answer in ${this.limits.exportTimeoutMs} ms`) }),
        this.limits.exportTimeoutMs,
      );
      deadline.unref();
      try {
        this.exporter.export(batch, settle);
      } catch (error) {
        settle({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    });
  }

  private exportFailed(spans: number, error: Error | undefined): void {
    this.counts.failed += spans;
    const now = Date.now();
    if (now - this.lastFailureReportAt < FAILURE_REPORT_INTERVAL_MS) return;
    this.lastFailureReportAt = now;
    const { exported, dropped, failed } = this.counts;
    this.logger.warn(
      `Trace export to ${this.target} failed (${error?.message ?? 'unknown error'}); so far ${failed} spans lost in failed exports, ` +
        `${dropped} dropped from the full queue, ${exported} exported. Requests are not affected; next report in a minute at the earliest.`,
    );
  }
}
