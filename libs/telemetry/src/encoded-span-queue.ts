import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SpanQueue } from './bounded-batch.processor';
import { exportRequestFrame, type EncodedScopeSpans } from './otlp-protobuf-encoder';
import { LEN, OtlpProtobufWriter } from './otlp-protobuf-writer';

/**
 * A batch of spans already in OTLP/protobuf, per resource and scope, for one export request. The parts' bytes
 * are their writers' own buffers, not copies: `release` gives the writers back once the request is framed.
 */
export interface EncodedBatch {
  parts: EncodedScopeSpans[];
  spans: number;
  /**
   * The whole export request, framed around the spans where they are, when the batch holds one resource and
   * one scope (the gateway's request spans) and the frame fits the room left before them: no copy of the
   * spans. Its bytes are the batch's: read them until `release`. Undefined otherwise (`writeExportRequest`).
   */
  framedInPlace(): Uint8Array | undefined;
  /** The parts' bytes are no longer read (a batch never released only costs its writers' reuse). */
  release(): void;
}

/**
 * Room left before a part's first span, for the request's frame to go there (`framedInPlace`): the resource's
 * attributes and the scope, with three tags and lengths. A resource with more attributes is framed by copy.
 */
const FRAME_ROOM = 1024;

interface OpenPart {
  resource: Resource;
  scope: InstrumentationScope;
  writer: OtlpProtobufWriter;
}

/**
 * The OTLP/protobuf export queue: each span is encoded when it finishes, into the batch being filled, so no
 * span object waits for export (objects that wait outlive the young generation and are copied and promoted by
 * the garbage collector) and a request span needs no object at all (`beginSpan`/`endSpan`, written in place).
 * A batch closes when it holds `batchSize` spans, or when an export takes it.
 */
export class EncodedSpanQueue implements SpanQueue<EncodedBatch> {
  private readonly closed: EncodedBatch[] = [];
  private closedSpans = 0;
  private open: OpenPart[] = [];
  private openSpans = 0;
  private readonly spareWriters: OtlpProtobufWriter[] = [];

  constructor(private readonly batchSize: number) {}

  get size(): number {
    return this.closedSpans + this.openSpans;
  }

  push(span: ReadableSpan): void {
    this.beginSpan(span.resource, span.instrumentationScope).span(span);
    this.endSpan();
  }

  /** The writer a span of this resource and scope is written with, its `ScopeSpans.spans` tag written. */
  beginSpan(resource: Resource, scope: InstrumentationScope): OtlpProtobufWriter {
    let part: OpenPart | undefined;
    // A loop, not `find` with a closure: twice a request, and almost always one part.
    for (const candidate of this.open) {
      if (candidate.resource === resource && candidate.scope === scope) {
        part = candidate;
        break;
      }
    }
    if (part === undefined) {
      part = { resource, scope, writer: this.spareWriters.pop() ?? new OtlpProtobufWriter() };
      part.writer.skip(FRAME_ROOM);
      this.open.push(part);
    }
    part.writer.tag(2, LEN);
    return part.writer;
  }

  /** The span `beginSpan` began is whole. */
  endSpan(): void {
    this.openSpans++;
    if (this.openSpans >= this.batchSize) this.close();
  }

  take(): { batch: EncodedBatch; spans: number } | undefined {
    if (this.closed.length === 0 && this.openSpans > 0) this.close();
    const batch = this.closed.shift();
    if (batch === undefined) return undefined;
    this.closedSpans -= batch.spans;
    return { batch, spans: batch.spans };
  }

  private close(): void {
    const writers = this.open.map((part) => part.writer);
    const parts = this.open.map(({ resource, scope, writer }) => ({ resource, scope, spans: writer.writtenFrom(FRAME_ROOM) }));
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      for (const writer of writers) writer.reset();
      this.spareWriters.push(...writers);
    };
    const framedInPlace = (): Uint8Array | undefined => {
      if (parts.length !== 1 || released) return undefined;
      const { prefix, suffix } = exportRequestFrame(parts[0]!);
      return writers[0]!.framedAround(FRAME_ROOM, prefix, suffix);
    };
    this.closed.push({ parts, spans: this.openSpans, framedInPlace, release });
    this.closedSpans += this.openSpans;
    this.open = [];
    this.openSpans = 0;
  }
}
