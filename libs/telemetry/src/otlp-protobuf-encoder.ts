import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LEN, OtlpProtobufWriter, varintSize } from './otlp-protobuf-writer';

/** Spans of one resource and one scope, as `ScopeSpans.spans` entries already encoded (each with its tag). */
export interface EncodedScopeSpans {
  resource: Resource;
  scope: InstrumentationScope;
  spans: Uint8Array;
}

/**
 * An OTLP/protobuf `ExportTraceServiceRequest` around spans already encoded: one `ResourceSpans` per resource
 * (in the order resources first appear), one `ScopeSpans` per scope within it, as the SDK's serializer groups them.
 * The spans' length is known, so every length is written in its place before what it measures: none is
 * reserved and then widened, which would move the whole batch (a megabyte) by a few bytes, twice.
 */
export function writeExportRequest(writer: OtlpProtobufWriter, parts: readonly EncodedScopeSpans[]): void {
  const byResource = new Map<Resource, EncodedScopeSpans[]>();
  for (const part of parts) {
    const list = byResource.get(part.resource);
    if (list === undefined) byResource.set(part.resource, [part]);
    else list.push(part);
  }
  const scratch = new OtlpProtobufWriter(1024);
  const encoded = (write: (into: OtlpProtobufWriter) => void): Uint8Array => {
    write(scratch);
    return scratch.takeBytes();
  };
  for (const [resource, scopes] of byResource) {
    const head = encoded((into) => into.resource(resource));
    const tail = resource.schemaUrl ? encoded((into) => into.stringField(3, resource.schemaUrl!)) : EMPTY;
    const scopeSpans = scopes.map((part) => {
      const scopeHead = encoded((into) => into.scope(part.scope));
      const scopeTail = part.scope.schemaUrl ? encoded((into) => into.stringField(3, part.scope.schemaUrl!)) : EMPTY;
      return { scopeHead, spans: part.spans, scopeTail, length: scopeHead.length + part.spans.length + scopeTail.length };
    });
    let length = head.length + tail.length;
    for (const scope of scopeSpans) length += 1 + varintSize(scope.length) + scope.length; // tag 2 is one byte
    writer.tag(1, LEN); // ExportTraceServiceRequest.resource_spans
    writer.length(length);
    writer.raw(head);
    for (const scope of scopeSpans) {
      writer.tag(2, LEN); // ResourceSpans.scope_spans
      writer.length(scope.length);
      writer.raw(scope.scopeHead);
      writer.raw(scope.spans);
      writer.raw(scope.scopeTail);
    }
    writer.raw(tail);
  }
}

const EMPTY = new Uint8Array(0);

/**
 * OTLP/protobuf `ExportTraceServiceRequest` from SDK span objects, byte for byte what the SDK's
 * `ProtobufTraceSerializer` writes (spans grouped by resource and scope object, first appearance first).
 */
export class OtlpProtobufEncoder {
  private readonly spanWriter = new OtlpProtobufWriter();
  private readonly requestWriter = new OtlpProtobufWriter();

  /** The request's bytes, a copy the caller owns. */
  encode(spans: readonly ReadableSpan[]): Uint8Array {
    const parts: EncodedScopeSpans[] = [];
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      for (const [scope, list] of scopes) {
        for (const span of list) {
          this.spanWriter.tag(2, LEN); // ScopeSpans.spans
          this.spanWriter.span(span);
        }
        parts.push({ resource, scope, spans: this.spanWriter.takeBytes() });
      }
    }
    writeExportRequest(this.requestWriter, parts);
    return this.requestWriter.takeBytes();
  }
}

function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<Resource, Map<InstrumentationScope, ReadableSpan[]>> {
  const byResource = new Map<Resource, Map<InstrumentationScope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (byScope === undefined) {
      byScope = new Map<InstrumentationScope, ReadableSpan[]>();
      byResource.set(span.resource, byScope);
    }
    const list = byScope.get(span.instrumentationScope);
    if (list === undefined) byScope.set(span.instrumentationScope, [span]);
    else list.push(span);
  }
  return byResource;
}
