import type { AttributeValue, Attributes, Link } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { BoundedBatchSpanProcessor } from './bounded-batch.processor';
import type { EncodedBatch, EncodedSpanQueue } from './encoded-span-queue';
import { finishedSpan } from './finished-span';
import type { OtlpProtobufWriter, SpanHead } from './otlp-protobuf-writer';
import { RepeatedAttributeCache } from './repeated-attributes';

export type { SpanHead } from './otlp-protobuf-writer';

/**
 * How a span that already happened is handed to export: its head, its attributes one by one, its end. Written
 * through this, a request's spans cost no span object and no attribute object when the export is OTLP/protobuf
 * (`ProtobufSpanWriter`); with OTLP/JSON they become the SDK's span objects (`ObjectSpanWriter`). Calls are
 * synchronous and never interleave: `begin`, any `attribute`s, `end`.
 */
export interface FinishedSpanWriter {
  /** False when the export queue is full: the span is dropped (and counted); write nothing more of it. */
  begin(head: SpanHead): boolean;
  attribute(key: string, value: AttributeValue): void;
  /** `errorMessage` set makes the status ERROR; absent leaves it unset. */
  end(links: Link[] | undefined, errorMessage: string | undefined): void;
}

/** The span as the SDK's `ReadableSpan` object (`finishedSpan`), handed to `emit`. */
export class ObjectSpanWriter implements FinishedSpanWriter {
  private head?: SpanHead;
  private attributes: Attributes = {};

  constructor(
    private readonly resource: Resource,
    private readonly scope: InstrumentationScope,
    private readonly emit: (span: ReadableSpan) => void,
  ) {}

  begin(head: SpanHead): boolean {
    this.head = head;
    this.attributes = {};
    return true;
  }

  attribute(key: string, value: AttributeValue): void {
    this.attributes[key] = value;
  }

  end(links: Link[] | undefined, errorMessage: string | undefined): void {
    const head = this.head!;
    this.head = undefined;
    this.emit(finishedSpan({ ...head, attributes: this.attributes, links, errorMessage }, this.resource, this.scope));
  }
}

/**
 * The span written as OTLP/protobuf straight into the export queue's open batch; attribute values that repeat
 * from request to request are copied from their first encoding (`RepeatedAttributeCache`).
 */
export class ProtobufSpanWriter implements FinishedSpanWriter {
  private readonly repeated = new RepeatedAttributeCache();
  private writer?: OtlpProtobufWriter;
  private head?: SpanHead;
  private start = 0;

  constructor(
    private readonly processor: BoundedBatchSpanProcessor<EncodedBatch>,
    private readonly queue: EncodedSpanQueue,
    private readonly resource: Resource,
    private readonly scope: InstrumentationScope,
  ) {}

  begin(head: SpanHead): boolean {
    if (!this.processor.admit()) return false;
    this.writer = this.queue.beginSpan(this.resource, this.scope);
    this.head = head;
    this.start = this.writer.spanHead(head);
    return true;
  }

  attribute(key: string, value: AttributeValue): void {
    this.repeated.write(this.writer!, key, value);
  }

  end(links: Link[] | undefined, errorMessage: string | undefined): void {
    this.writer!.spanTail(this.start, this.head!, links, errorMessage);
    this.writer = undefined;
    this.head = undefined;
    this.queue.endSpan();
    this.processor.added();
  }
}
