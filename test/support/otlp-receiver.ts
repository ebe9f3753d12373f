import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtobufExport } from './otlp-protobuf';

/** One span as a test reads it: OTLP/JSON flattened, attributes as plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP numbering: 2 SERVER, 3 CLIENT. */
  kind: number;
  startNanos: bigint;
  endNanos: bigint;
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string; attributes: Record<string, unknown> }>;
  /** OTLP status code: 0 unset, 2 error. */
  statusCode: number;
  resource: Record<string, unknown>;
}

export interface ReceivedExport {
  contentType: string;
  body: Buffer;
}

/**
 * An in-process OTLP/HTTP trace receiver (`POST /v1/traces`): keeps every export as received and decodes
 * both encodings, OTLP/JSON and OTLP/protobuf, into the same spans.
 */
export interface OtlpReceiver {
  /** Base URL, as `OTEL_EXPORTER_OTLP_ENDPOINT` takes it. */
  url: string;
  exports: ReceivedExport[];
  spans(): ReceivedSpan[];
  /** Polls until `predicate` holds for the spans received so far. */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, description: string, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const contentType = request.headers['content-type'] ?? '';
      exports.push({ contentType, body: Buffer.concat(chunks) });
      if (contentType.includes('json')) response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const spans = (): ReceivedSpan[] =>
    exports.flatMap((entry) => (entry.contentType.includes('json') ? decodeJsonExport(entry.body) : decodeProtobufExport(entry.body)));
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    spans,
    waitFor: async (predicate, description, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const received = spans();
        if (predicate(received)) return received;
        if (Date.now() > deadline) {
          throw new Error(`otlp-receiver: timed out waiting for ${description}; spans: ${received.map((span) => span.name).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}
interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
}
interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: JsonKeyValue[];
  links?: Array<{ traceId: string; spanId: string; attributes?: JsonKeyValue[] }>;
  status?: { code?: number };
}
interface JsonExport {
  resourceSpans?: Array<{ resource?: { attributes?: JsonKeyValue[] }; scopeSpans?: Array<{ spans?: JsonSpan[] }> }>;
}

function decodeJsonExport(body: Buffer): ReceivedSpan[] {
  const parsed = JSON.parse(body.toString('utf8')) as JsonExport;
  return (parsed.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        startNanos: BigInt(span.startTimeUnixNano),
        endNanos: BigInt(span.endTimeUnixNano),
        attributes: attributesOf(span.attributes),
        links: (span.links ?? []).map((link) => ({
          traceId: link.traceId,
          spanId: link.spanId,
          attributes: attributesOf(link.attributes),
        })),
        statusCode: span.status?.code ?? 0,
        resource,
      })),
    );
  });
}

function attributesOf(list: JsonKeyValue[] | undefined): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) result[key] = valueOf(value);
  return result;
}

function valueOf(value: JsonAnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}
