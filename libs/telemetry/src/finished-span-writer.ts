import type { AttributeValue, Attributes, Link } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { BoundedBatchSpanProcessor } from './bounded-batch.processor';
import type { EncodedBatch, EncodedSpanQueue } from './encoded-span-queue';
import { finishedSpan } from './finished-span';
import type { OtlpProtobufWriter, SpanHead } from './otlp-protobuf-writer';
import { RepeatedAttributeCache } from './repeated-attributes';
import type { SpanAttribute } from './span-attribute';

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
  attribute(attribute: SpanAttribute, value: AttributeValue): void;
  /**
   * The attributes written from here to `endRepeatable` (in the span being written) are kept, to be written
   * again, as they are, into a later span by `repeat`: a request's two spans share a run of attributes.
   */
  beginRepeatable(): void;
  endRepeatable(): void;
  /** Writes the attributes kept by the last `beginRepeatable`/`endRepeatable` into the span being written. */
  repeat(): void;
  /** `errorMessage` set makes the status ERROR; absent leaves it unset. */
  end(links: Link[] | undefined, errorMessage: string | undefined): void;
}

/** The span as the SDK's `ReadableSpan` object (`finishedSpan`), handed to `emit`. */
export class ObjectSpanWriter implements FinishedSpanWriter {
  private head?: SpanHead;
  private attributes: Attributes = {};
  private recording = false;
  private recorded: [string, AttributeValue][] = [];

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

  attribute(attribute: SpanAttribute, value: AttributeValue): void {
    this.attributes[attribute.key] = value;
    if (this.recording) this.recorded.push([attribute.key, value]);
  }

  beginRepeatable(): void {
    this.recorded = [];
    this.recording = true;
  }

  endRepeatable(): void {
    this.recording = false;
  }

  repeat(): void {
    for (const [key, value] of this.recorded) this.attributes[key] = value;
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
  /**
   * The repeatable run: the writer it is in and where (its bytes stay there until the batch is framed, which
   * never happens within a request's spans), and whether it is in the span being written, whose end may move it.
   */
  private repeatableIn?: OtlpProtobufWriter;
  private repeatableStart = 0;
  private repeatableLength = 0;
  private repeatableInThisSpan = false;

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

  attribute(attribute: SpanAttribute, value: AttributeValue): void {
    this.repeated.write(this.writer!, attribute, value);
  }

  beginRepeatable(): void {
    this.repeatableIn = this.writer;
    this.repeatableStart = this.writer!.pos;
  }

  endRepeatable(): void {
    this.repeatableLength = this.writer!.pos - this.repeatableStart;
    this.repeatableInThisSpan = true;
  }

  repeat(): void {
    this.writer!.copyFrom(this.repeatableIn!, this.repeatableStart, this.repeatableLength);
  }

  end(links: Link[] | undefined, errorMessage: string | undefined): void {
    const moved = this.writer!.spanTail(this.start, this.head!, links, errorMessage);
    if (this.repeatableInThisSpan) {
      this.repeatableStart += moved; // the span's length went before it, and its bytes moved by as much
      this.repeatableInThisSpan = false;
    }
    this.writer = undefined;
    this.head = undefined;
    this.queue.endSpan();
    this.processor.added();
  }
}
