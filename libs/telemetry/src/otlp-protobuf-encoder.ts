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
  for (const [resource, scopes] of byResource) {
    const { prefix, suffix, scopeFrames } = resourceFrame(resource, scopes);
    writer.raw(prefix);
    scopes.forEach((part, index) => {
      writer.raw(scopeFrames[index]!.prefix);
      writer.raw(part.spans);
      writer.raw(scopeFrames[index]!.suffix);
    });
    writer.raw(suffix);
  }
}

/**
 * The bytes that go before and after the spans of a request that holds one resource and one scope (the
 * gateway's request spans): with them, the spans need not be copied to be sent (`EncodedSpanQueue`).
 */
export function exportRequestFrame(part: EncodedScopeSpans): { prefix: Uint8Array; suffix: Uint8Array } {
  const { prefix, suffix, scopeFrames } = resourceFrame(part.resource, [part]);
  return { prefix: concat(prefix, scopeFrames[0]!.prefix), suffix: concat(scopeFrames[0]!.suffix, suffix) };
}

interface Frame {
  prefix: Uint8Array;
  suffix: Uint8Array;
}

/** `ExportTraceServiceRequest.resource_spans` around the scopes' `ScopeSpans`, and each of those around its spans. */
function resourceFrame(resource: Resource, scopes: readonly EncodedScopeSpans[]): Frame & { scopeFrames: Frame[] } {
  const scratch = new OtlpProtobufWriter(1024);
  const encoded = (write: (into: OtlpProtobufWriter) => void): Uint8Array => {
    write(scratch);
    return scratch.takeBytes();
  };
  const scopeFrames = scopes.map((part) => {
    const head = encoded((into) => into.scope(part.scope));
    const tail = part.scope.schemaUrl ? encoded((into) => into.stringField(3, part.scope.schemaUrl!)) : EMPTY;
    // ResourceSpans.scope_spans: its tag and length, then the scope.
    const prefix = encoded((into) => {
      into.tag(2, LEN);
      into.length(head.length + part.spans.length + tail.length);
      into.raw(head);
    });
    return { prefix, suffix: tail, framedLength: prefix.length + part.spans.length + tail.length };
  });
  const head = encoded((into) => into.resource(resource));
  const tail = resource.schemaUrl ? encoded((into) => into.stringField(3, resource.schemaUrl!)) : EMPTY;
  let length = head.length + tail.length;
  for (const scope of scopeFrames) length += scope.framedLength;
  // ExportTraceServiceRequest.resource_spans: its tag and length, then the resource.
  const prefix = encoded((into) => {
    into.tag(1, LEN);
    into.length(length);
    into.raw(head);
  });
  return { prefix, suffix: tail, scopeFrames };
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  if (second.length === 0) return first;
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
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
