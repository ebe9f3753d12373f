import { Logger } from '@nestjs/common';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

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

/**
 * A batch span processor that never blocks a request and never grows: `onEnd` is an array push (or a
 * counted drop when `maxQueueSize` spans are already waiting), one export is in flight at a time, and a
 * collector that is down costs failed batches, not memory. The SDK's own BatchSpanProcessor drops too, but
 * keeps its count private and resets it; here the counts are the operator's.
 */
export class BoundedBatchSpanProcessor implements SpanProcessor {
  readonly counts: ExportCounts = { exported: 0, dropped: 0, failed: 0 };
  private readonly logger = new Logger('Tracing');
  private queue: ReadableSpan[] = [];
  private timer?: NodeJS.Timeout;
  private exporting?: Promise<void>;
  private lastFailureReportAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly exporter: SpanExporter,
    private readonly limits: BatchLimits,
    /** Where spans go, for the failure warning (never with its headers). */
    private readonly target: string,
  ) {}

  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) return;
    if (this.queue.length >= this.limits.maxQueueSize) {
      this.counts.dropped++;
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.limits.maxExportBatchSize) this.exportSoon(0);
    else this.exportSoon(this.limits.scheduledDelayMs);
  }

  /** Exports what is queued now (in batches, one after the other), within the export timeout per batch. */
  async forceFlush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.exporting) await this.exporting;
    while (this.queue.length > 0) await this.exportBatch();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    await this.exporter.shutdown();
  }

  private exportSoon(delayMs: number): void {
    if (this.exporting) return; // the running export schedules the next batch when it settles
    if (this.timer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.exportBatch();
    }, delayMs);
    // A timer for spans must never keep a stopping process alive; shutdown flushes what is left.
    this.timer.unref();
  }

  private exportBatch(): Promise<void> {
    if (this.exporting) return this.exporting;
    const batch = this.queue.length <= this.limits.maxExportBatchSize ? this.queue : this.queue.slice(0, this.limits.maxExportBatchSize);
    this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
    if (batch.length === 0) return Promise.resolve();
    this.exporting = this.send(batch).finally(() => {
      this.exporting = undefined;
      if (this.queue.length > 0 && !this.closed) {
        this.exportSoon(this.queue.length >= this.limits.maxExportBatchSize ? 0 : this.limits.scheduledDelayMs);
      }
    });
    return this.exporting;
  }

  private send(batch: ReadableSpan[]): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const settle = (result: ExportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (result.code === ExportResultCode.SUCCESS) this.counts.exported += batch.length;
        else this.exportFailed(batch.length, result.error);
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
