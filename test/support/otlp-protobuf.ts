import type { ReceivedSpan } from './otlp-receiver';

/**
 * Decodes an OTLP/protobuf ExportTraceServiceRequest into the receiver's spans: a small reader of the
 * protobuf wire format for the fields the tests read (opentelemetry-proto trace/v1 and common/v1 field
 * numbers), so the tests need no protobuf package.
 */
export function decodeProtobufExport(body: Buffer): ReceivedSpan[] {
  return repeated(body, 1).flatMap((resourceSpans) => {
    const resourceField = first(resourceSpans, 1);
    const resource = resourceField ? attributes(resourceField, 1) : {};
    return repeated(resourceSpans, 2).flatMap((scopeSpans) => repeated(scopeSpans, 2).map((span) => decodeSpan(span, resource)));
  });
}

function decodeSpan(span: Buffer, resource: Record<string, unknown>): ReceivedSpan {
  const fields = readFields(span);
  const bytes = (number: number): Buffer => (fields.get(number)?.[0]?.value as Buffer | undefined) ?? Buffer.alloc(0);
  const status = first(span, 15);
  return {
    traceId: bytes(1).toString('hex'),
    spanId: bytes(2).toString('hex'),
    parentSpanId: bytes(4).toString('hex'),
    name: bytes(5).toString('utf8'),
    kind: Number(fields.get(6)?.[0]?.value ?? 0),
    startNanos: fixed64(fields.get(7)?.[0]?.value),
    endNanos: fixed64(fields.get(8)?.[0]?.value),
    attributes: attributes(span, 9),
    links: repeated(span, 13).map((link) => {
      const linkFields = readFields(link);
      const hex = (number: number): string =>
        ((linkFields.get(number)?.[0]?.value as Buffer | undefined) ?? Buffer.alloc(0)).toString('hex');
      return { traceId: hex(1), spanId: hex(2), attributes: attributes(link, 4) };
    }),
    statusCode: status ? Number(readFields(status).get(3)?.[0]?.value ?? 0) : 0,
    resource,
  };
}

function attributes(message: Buffer, fieldNumber: number): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const keyValue of repeated(message, fieldNumber)) {
    const fields = readFields(keyValue);
    const key = (fields.get(1)?.[0]?.value as Buffer | undefined)?.toString('utf8') ?? '';
    const value = fields.get(2)?.[0]?.value as Buffer | undefined;
    result[key] = value ? anyValue(value) : undefined;
  }
  return result;
}

function anyValue(message: Buffer): unknown {
  const [field] = readFields(message);
  if (!field) return undefined;
  const [number, [entry]] = field;
  if (!entry) return undefined;
  switch (number) {
    case 1:
      return (entry.value as Buffer).toString('utf8');
    case 2:
      return entry.value !== 0n;
    case 3:
      return Number(BigInt.asIntN(64, entry.value as bigint));
    case 4:
      return (entry.value as Buffer).readDoubleLE(0);
    case 5:
      return repeated(entry.value as Buffer, 1).map(anyValue);
    default:
      return undefined;
  }
}

function fixed64(value: bigint | Buffer | undefined): bigint {
  return value instanceof Buffer ? value.readBigUInt64LE(0) : 0n;
}

function repeated(message: Buffer, fieldNumber: number): Buffer[] {
  return (readFields(message).get(fieldNumber) ?? []).map((entry) => entry.value as Buffer);
}

function first(message: Buffer, fieldNumber: number): Buffer | undefined {
  return repeated(message, fieldNumber)[0];
}

type WireValue = bigint | Buffer;

/** Field number → values in order: varints as bigint, length-delimited and fixed-width fields as bytes. */
function readFields(message: Buffer): Map<number, Array<{ value: WireValue }>> {
  const fields = new Map<number, Array<{ value: WireValue }>>();
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = message[offset++];
      if (byte === undefined) throw new Error('otlp-protobuf: truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < message.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    let value: WireValue;
    switch (tag & 7) {
      case 0:
        value = varint();
        break;
      case 1:
        value = message.subarray(offset, offset + 8);
        offset += 8;
        break;
      case 2: {
        const length = Number(varint());
        value = message.subarray(offset, offset + length);
        offset += length;
        break;
      }
      case 5:
        value = message.subarray(offset, offset + 4);
        offset += 4;
        break;
      default:
        throw new Error(`otlp-protobuf: wire type ${tag & 7} not expected`);
    }
    const list = fields.get(number) ?? [];
    list.push({ value });
    fields.set(number, list);
  }
  return fields;
}
