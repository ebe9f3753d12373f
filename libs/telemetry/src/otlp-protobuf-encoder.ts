import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LEN, OtlpProtobufWriter } from './otlp-protobuf-writer';

/** Spans of one resource and one scope, as `ScopeSpans.spans` entries already encoded (each with its tag). */
export interface EncodedScopeSpans {
  resource: Resource;
  scope: InstrumentationScope;
  spans: Uint8Array;
}

/**
 * An OTLP/protobuf `ExportTraceServiceRequest` around spans already encoded: one `ResourceSpans` per resource
 * (in the order resources first appear), one `ScopeSpans` per scope within it, as the SDK's serializer groups them.
 */
export function writeExportRequest(writer: OtlpProtobufWriter, parts: readonly EncodedScopeSpans[]): void {
  const byResource = new Map<Resource, EncodedScopeSpans[]>();
  for (const part of parts) {
    const list = byResource.get(part.resource);
    if (list === undefined) byResource.set(part.resource, [part]);
    else list.push(part);
  }
  for (const [resource, scopes] of byResource) {
    writer.tag(1, LEN); // ExportTraceServiceRequest.resource_spans
    const start = writer.startMessage();
    writer.resource(resource);
    for (const part of scopes) {
      writer.tag(2, LEN); // ResourceSpans.scope_spans
      const scopeStart = writer.startMessage();
      writer.scope(part.scope);
      writer.raw(part.spans);
      if (part.scope.schemaUrl) writer.stringField(3, part.scope.schemaUrl);
      writer.finishMessage(scopeStart);
    }
    if (resource.schemaUrl) writer.stringField(3, resource.schemaUrl);
    writer.finishMessage(start);
  }
}

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
