import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { BatchExporter } from './bounded-batch.processor';
import type { EncodedBatch } from './encoded-span-queue';
import { writeExportRequest } from './otlp-protobuf-encoder';
import { OtlpProtobufWriter } from './otlp-protobuf-writer';

/**
 * The SDK's OTLP/HTTP exporter (its transport, retries, timeout, `OTEL_EXPORTER_OTLP_*HEADERS`, keep-alive
 * agent and response handling) for batches already encoded: the serializer only frames them in their
 * resource and scope (ADR 0014, "What tracing costs").
 *
 * Each request is framed around its spans where they were written (or, with several resources, into a writer
 * of its own) and sent from that buffer as it is, no copy; the buffer is used again once the SDK has answered
 * for that export (it holds the bytes until then, retries included). A copy per batch was ~12 MB/s of fresh
 * memory at 10k requests/s, which the garbage collector counted, and later a second pass over every span's bytes.
 */
export function protobufBatchExporter(options: {
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
}): BatchExporter<EncodedBatch> {
  // A subpath export, which this project's module resolution types only through its file.
  type NodeHttp = typeof import('@opentelemetry/otlp-exporter-base/build/src/index-node-http');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  return framedInPlace((serializeRequest) => {
    const delegate = http.createOtlpHttpExportDelegate<EncodedBatch, ReturnType<typeof ProtobufTraceSerializer.deserializeResponse>>(
      http.convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
      { serializeRequest, deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data) },
      'otlp_http_span_exporter',
      { name: 'span', countItems: (batch) => batch.spans },
      undefined,
    );
    return new OTLPExporterBase(delegate);
  });
}

/** What sends a request: the SDK's exporter, which serializes a batch (synchronously) within `export`. */
export interface RequestSender {
  export(batch: EncodedBatch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/**
 * Frames each batch around its spans where they are (`EncodedBatch.framedInPlace`), else into a writer of its
 * own, and hands the sender those bytes in place; the batch's writers, and that writer, are used again once the
 * sender has answered for that export (it may hold the bytes until then: retries).
 */
export function framedInPlace(
  makeSender: (serializeRequest: (batch: EncodedBatch) => Uint8Array) => RequestSender,
): BatchExporter<EncodedBatch> {
  const spare: OtlpProtobufWriter[] = [];
  /** The writer the request being serialized was framed in, when it was not framed in place. */
  let framedIn: OtlpProtobufWriter | undefined;
  const sender = makeSender((batch) => {
    const inPlace = batch.framedInPlace();
    if (inPlace !== undefined) return inPlace; // the batch is released when the sender has answered
    const writer = spare.pop() ?? new OtlpProtobufWriter();
    framedIn = writer;
    writeExportRequest(writer, batch.parts);
    batch.release(); // framed: the parts' writers take the next spans
    return writer.written();
  });
  return {
    export(batch, done) {
      framedIn = undefined;
      // Which writer this export's bytes are in: known once `export` has serialized (the answer comes later).
      const request: { writer?: OtlpProtobufWriter } = {};
      sender.export(batch, (result) => {
        // The sender is done with the bytes: the writers frame or take a later batch. A batch or a writer never
        // answered for is left to the garbage collector.
        batch.release();
        if (request.writer !== undefined) {
          request.writer.reset();
          spare.push(request.writer);
        }
        done(result);
      });
      request.writer = framedIn; // unset when framed in place, or when the sender refused the export unserialized
      framedIn = undefined;
    },
    shutdown: () => sender.shutdown(),
  };
}
