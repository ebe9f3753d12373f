import type { AttributeValue, Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/** What a span says before its attributes: the fields OTLP puts first. Times are epoch ms, fractional. */
export interface SpanHead {
  name: string;
  /** The API's SpanKind (INTERNAL = 0). */
  kind: number;
  traceId: string;
  spanId: string;
  parent?: SpanContext;
  startMs: number;
  endMs: number;
}

/**
 * Writes OTLP/protobuf messages (opentelemetry-proto `trace/v1`, `common/v1`, `resource/v1`) into one growing
 * buffer, in the SDK serializer's field order and with its omissions, so that what it writes is byte for byte
 * what `ProtobufTraceSerializer` (@opentelemetry/otlp-transformer) writes for the same span. Two ways in:
 * `span()` for an SDK `ReadableSpan`, and `spanHead()` / `attribute()` / `spanTail()` for a span written as it
 * is assembled, with no span object at all (request spans, ADR 0014).
 *
 * Cheaper than the SDK's writer: no sizing pass, strings of more than a few characters go through Node's
 * native UTF-8 encoder, ids go from hex straight into the buffer, and the buffer is reused.
 */
export class OtlpProtobufWriter {
  private buffer: Buffer;
  pos = 0;
  /** The ids `idField` decoded last: a trace id, and two span ids. */
  private readonly recentTraceId: DecodedId = { hex: '', bytes: new Uint8Array(16) };
  private olderSpanId: DecodedId = { hex: '', bytes: new Uint8Array(8) };
  private newerSpanId: DecodedId = { hex: '', bytes: new Uint8Array(8) };

  constructor(private readonly initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /**
   * A copy of what was written (the caller owns it); the writer starts over. A buffer grown past
   * `KEEP_BYTES` (a batch of captured bodies) is let go rather than kept for the life of the process.
   */
  takeBytes(): Buffer {
    const bytes = Buffer.allocUnsafeSlow(this.pos);
    this.buffer.copy(bytes, 0, 0, this.pos);
    this.reset();
    return bytes;
  }

  /** What was written, in place: valid until the writer writes again (`reset` first). */
  written(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  /** What was written from `start` on, in place (as `written`). */
  writtenFrom(start: number): Uint8Array {
    return this.buffer.subarray(start, this.pos);
  }

  /** Leaves `bytes` unwritten here (room for what goes before, `framedAround`). */
  skip(bytes: number): void {
    this.ensure(bytes);
    this.pos += bytes;
  }

  /**
   * What was written from `start` on with `prefix` written just before it (in room left by `skip`) and `suffix`
   * after it, in place: undefined when `prefix` does not fit before `start`. The writer writes nothing more
   * until it is reset.
   */
  framedAround(start: number, prefix: Uint8Array, suffix: Uint8Array): Uint8Array | undefined {
    if (prefix.length > start) return undefined;
    this.buffer.set(prefix, start - prefix.length);
    this.raw(suffix);
    return this.buffer.subarray(start - prefix.length, this.pos);
  }

  /** Starts over (what `written` returned is then the next message's to overwrite). */
  reset(): void {
    this.pos = 0;
    if (this.buffer.length > KEEP_BYTES) this.buffer = Buffer.allocUnsafe(this.initialBytes);
  }

  /** `ResourceSpans.resource`. */
  resource(resource: Resource): void {
    this.tag(1, LEN);
    const start = this.startMessage();
    if (resource.attributes) this.attributes(resource.attributes, 1);
    this.tag(2, VARINT); // Resource.dropped_attributes_count
    this.varint(0);
    this.finishMessage(start);
  }

  /** `ScopeSpans.scope`. */
  scope(scope: InstrumentationScope): void {
    this.tag(1, LEN);
    const start = this.startMessage();
    this.stringField(1, scope.name);
    if (scope.version) this.stringField(2, scope.version);
    const extra = scope as { attributes?: Attributes; droppedAttributesCount?: number };
    if (extra.attributes) this.attributes(extra.attributes, 3);
    if (extra.droppedAttributesCount) {
      this.tag(4, VARINT);
      this.varint(extra.droppedAttributesCount);
    }
    this.finishMessage(start);
  }

  /** A whole `Span` message from the SDK's span object (without its enclosing tag). */
  span(span: ReadableSpan): void {
    const start = this.startMessage();
    const context = span.spanContext();
    this.idField(1, context.traceId);
    this.idField(2, context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) this.stringField(3, traceState);
    const parent = span.parentSpanContext;
    if (parent?.spanId) this.idField(4, parent.spanId);
    this.stringField(5, span.name);
    this.kind(span.kind);
    this.tag(7, I64);
    this.hrTime(span.startTime[0], span.startTime[1]);
    this.tag(8, I64);
    this.hrTime(span.endTime[0], span.endTime[1]);
    if (span.attributes) this.attributes(span.attributes, 9);
    this.tag(10, VARINT);
    this.varint(span.droppedAttributesCount);
    for (const event of span.events) {
      this.tag(11, LEN);
      this.event(event);
    }
    this.tag(12, VARINT);
    this.varint(span.droppedEventsCount);
    for (const link of span.links) {
      this.tag(13, LEN);
      this.link(link);
    }
    this.tag(14, VARINT);
    this.varint(span.droppedLinksCount);
    this.status(span.status.code, span.status.message);
    this.tag(16, I32); // Span.flags: trace flags, and whether the parent's context is remote
    this.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
    this.finishMessage(start);
  }

  /**
   * Opens a `Span` message and writes what precedes its attributes, as `finishedSpan` + `span()` would (same
   * time rounding). Returns where its length goes, for `spanTail`. Trace flags are always SAMPLED, no trace state.
   */
  spanHead(head: SpanHead): number {
    const start = this.startMessage(SPAN_LENGTH_BYTES);
    this.idField(1, head.traceId);
    this.idField(2, head.spanId);
    if (head.parent?.spanId) this.idField(4, head.parent.spanId);
    this.stringField(5, head.name);
    this.kind(head.kind);
    this.tag(7, I64);
    this.epochMs(head.startMs);
    this.tag(8, I64);
    this.epochMs(Math.max(head.endMs, head.startMs));
    return start;
  }

  /** One attribute of the span opened by `spanHead` (`Span.attributes`). */
  attribute(key: string, value: AttributeValue): void {
    this.keyValue(9, key, value);
  }

  /** `KeyValue.key` as every attribute of this key writes it (tag, length, UTF-8), for `attributeWithKey`. */
  static encodedKey(key: string): Uint8Array {
    const writer = new OtlpProtobufWriter(key.length * 3 + 8);
    writer.stringField(1, key);
    return writer.takeBytes();
  }

  /** `attribute`, its key already encoded (`encodedKey`): the same bytes, without encoding the key again. */
  attributeWithKey(encodedKey: Uint8Array, value: AttributeValue): void {
    this.tag(9, LEN);
    const start = this.startMessage();
    this.raw(encodedKey);
    this.valueField(value);
    this.finishMessage(start);
  }

  /**
   * Closes the span `spanHead` opened: no events, `links`, status ERROR with `errorMessage` when set. Returns
   * how far the span's bytes moved (`finishMessage`).
   */
  spanTail(start: number, head: SpanHead, links: readonly Link[] | undefined, errorMessage: string | undefined): number {
    this.tag(10, VARINT);
    this.varint(0);
    this.tag(12, VARINT);
    this.varint(0);
    if (links) {
      for (const link of links) {
        this.tag(13, LEN);
        this.link(link);
      }
    }
    this.tag(14, VARINT);
    this.varint(0);
    if (errorMessage === undefined) this.status(0, undefined);
    else this.status(2, errorMessage);
    this.tag(16, I32);
    this.fixed32(spanFlags(1, head.parent?.isRemote));
    return this.finishMessage(start, SPAN_LENGTH_BYTES);
  }

  /** A copy of what was written from `start` on (the writer keeps writing after it). */
  bytesSince(start: number): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buffer, start, this.pos); // Buffer's own slice() is a view, not a copy
  }

  /** Already encoded bytes, as they are. */
  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** `length` bytes `source` has written at `start` (this writer or another), written again here. */
  copyFrom(source: OtlpProtobufWriter, start: number, length: number): void {
    this.ensure(length); // a grown buffer holds what was written at the same offsets
    if (source === this) this.buffer.copyWithin(this.pos, start, start + length);
    else this.buffer.set(source.buffer.subarray(start, start + length), this.pos);
    this.pos += length;
  }

  /** A message's or a byte string's length, for a `LEN` field whose content's length is known before it. */
  length(bytes: number): void {
    this.varint(bytes);
  }

  tag(fieldNumber: number, wireType: number): void {
    this.varint((fieldNumber << 3) | wireType);
  }

  stringField(fieldNumber: number, value: string): void {
    this.tag(fieldNumber, LEN);
    const length = value.length;
    // Up to a UTF-8 length of 3 bytes per UTF-16 unit, plus the length prefix.
    this.ensure(length * 3 + 5);
    const buffer = this.buffer;
    if (length < SHORT_STRING) {
      // Short strings (keys, model names, ids): a loop beats a call into native code, when all ASCII.
      let pos = this.pos + 1;
      let ascii = true;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) {
          ascii = false;
          break;
        }
        buffer[pos++] = code;
      }
      if (ascii) {
        buffer[this.pos] = length;
        this.pos = pos;
        return;
      }
    }
    // The UTF-8 length is at least the UTF-16 length: reserve the prefix for that, widen it if needed.
    const reserved = varintSize(length);
    const written = buffer.write(value, this.pos + reserved, 'utf8');
    const needed = varintSize(written);
    if (needed > reserved) buffer.copyWithin(this.pos + needed, this.pos + reserved, this.pos + reserved + written);
    this.varint(written);
    this.pos += written;
  }

  /**
   * A nested message's length goes before it but is known after it: `reserved` bytes are left for it (one by
   * default: most messages are shorter than 128 bytes), and the message is moved when its length needs
   * another number of bytes.
   */
  startMessage(reserved = 1): number {
    this.ensure(reserved);
    const lengthAt = this.pos;
    this.pos += reserved;
    return lengthAt;
  }

  /** Returns how many bytes the message moved to make its length fit (0 when `reserved` was right; may be < 0). */
  finishMessage(lengthAt: number, reserved = 1): number {
    const length = this.pos - lengthAt - reserved;
    const size = varintSize(length);
    const moved = size - reserved;
    if (moved !== 0) {
      if (moved > 0) this.ensure(moved);
      this.buffer.copyWithin(lengthAt + size, lengthAt + reserved, this.pos);
      this.pos += moved;
    }
    let at = lengthAt;
    let v = length;
    while (v > 0x7f) {
      this.buffer[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[at] = v;
    return moved;
  }

  private kind(kind: number | undefined): void {
    // OTLP counts kinds from 1 (0 is UNSPECIFIED); the API's start at 0 for INTERNAL.
    const otlpKind = kind == null ? 0 : kind + 1;
    if (otlpKind !== 0) {
      this.tag(6, VARINT);
      this.varint(otlpKind);
    }
  }

  private status(code: number, message: string | undefined): void {
    this.tag(15, LEN);
    const start = this.startMessage();
    if (message) this.stringField(2, message);
    this.tag(3, VARINT);
    this.varint(code);
    this.finishMessage(start);
  }

  private event(event: TimedEvent): void {
    const start = this.startMessage();
    this.tag(1, I64);
    this.hrTime(event.time[0], event.time[1]);
    this.stringField(2, event.name);
    if (event.attributes) this.attributes(event.attributes, 3);
    this.tag(4, VARINT);
    this.varint(event.droppedAttributesCount || 0);
    this.finishMessage(start);
  }

  private link(link: Link): void {
    const start = this.startMessage();
    const context = link.context;
    this.idField(1, context.traceId);
    this.idField(2, context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) this.stringField(3, traceState);
    if (link.attributes) this.attributes(link.attributes, 4);
    this.tag(5, VARINT);
    this.varint(link.droppedAttributesCount || 0);
    this.tag(6, I32);
    this.fixed32(spanFlags(context.traceFlags, context.isRemote));
    this.finishMessage(start);
  }

  /** Repeated `KeyValue` in field `fieldNumber`, in the object's own key order. */
  private attributes(attributes: Attributes, fieldNumber: number): void {
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) this.keyValue(fieldNumber, key, attributes[key]);
    }
  }

  private keyValue(fieldNumber: number, key: string, value: unknown): void {
    this.tag(fieldNumber, LEN);
    const start = this.startMessage();
    this.stringField(1, key); // KeyValue.key
    this.valueField(value);
    this.finishMessage(start);
  }

  /** `KeyValue.value`. */
  private valueField(value: unknown): void {
    this.tag(2, LEN);
    const start = this.startMessage();
    this.anyValue(value);
    this.finishMessage(start);
  }

  /** `AnyValue`, as the SDK maps attribute values (anything else, e.g. undefined, is an empty AnyValue). */
  private anyValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.stringField(1, value);
        return;
      case 'boolean':
        this.tag(2, VARINT);
        this.varint(value ? 1 : 0);
        return;
      case 'number':
        // int64 when whole and in range (not only safe integers: 2^60 is exact and fits), else a double.
        if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
          this.tag(3, VARINT);
          this.varint(value);
        } else {
          this.tag(4, I64);
          this.ensure(8);
          this.buffer.writeDoubleLE(value, this.pos);
          this.pos += 8;
        }
        return;
    }
    if (value instanceof Uint8Array) {
      this.tag(7, LEN);
      this.varint(value.length);
      this.raw(value);
    } else if (Array.isArray(value)) {
      this.tag(5, LEN); // AnyValue.array_value
      const start = this.startMessage();
      for (const item of value as unknown[]) {
        this.tag(1, LEN);
        const itemStart = this.startMessage();
        this.anyValue(item);
        this.finishMessage(itemStart);
      }
      this.finishMessage(start);
    } else if (typeof value === 'object' && value !== null) {
      this.tag(6, LEN); // AnyValue.kvlist_value
      const start = this.startMessage();
      this.attributes(value as Attributes, 1);
      this.finishMessage(start);
    }
  }

  /**
   * A trace or span id: hex in the API, raw bytes on the wire. A request's two spans repeat its trace id and
   * the server span's id (as the client span's parent): the last ids decoded are kept, and copied when they
   * come again.
   */
  private idField(fieldNumber: number, hex: string): void {
    this.tag(fieldNumber, LEN);
    const bytes = hex.length >>> 1;
    this.ensure(bytes + 1);
    const buffer = this.buffer;
    buffer[this.pos++] = bytes;
    const recent = bytes === 16 ? this.recentTraceId : hex === this.olderSpanId.hex ? this.olderSpanId : this.newerSpanId;
    if (hex === recent.hex) {
      buffer.set(recent.bytes, this.pos);
      this.pos += bytes;
      return;
    }
    let pos = this.pos;
    for (let i = 0; i < hex.length; i += 2) buffer[pos++] = (HEX[hex.charCodeAt(i) & 0x7f]! << 4) | HEX[hex.charCodeAt(i + 1) & 0x7f]!;
    if (bytes === 16 || bytes === 8) {
      // Span ids take the two places in turn: the server span's id is still there when its child names it.
      let slot = this.recentTraceId;
      if (bytes === 8) {
        slot = this.olderSpanId;
        this.olderSpanId = this.newerSpanId;
        this.newerSpanId = slot;
      }
      slot.hex = hex;
      for (let i = 0; i < bytes; i++) slot.bytes[i] = buffer[this.pos + i]!;
    }
    this.pos = pos;
  }

  /** Epoch ms as fixed64 nanoseconds, rounded as `toHrTime` (finished-span.ts) rounds them. */
  private epochMs(epochMs: number): void {
    const seconds = Math.floor(epochMs / 1000);
    this.hrTime(seconds, Math.round((epochMs - seconds * 1000) * 1e6));
  }

  /** Nanoseconds since the epoch as fixed64, exact (seconds × 1e9 overflows a double's integers). */
  private hrTime(seconds: HrTime[0], nanos: HrTime[1]): void {
    const low16 = (seconds & 0xffff) * 1e9;
    const high = ((seconds / 0x10000) >>> 0) * 1e9;
    const lowWithCarry = (low16 >>> 0) + ((((high & 0xffff) * 0x10000) >>> 0) + nanos);
    this.ensure(8);
    this.buffer.writeUInt32LE(lowWithCarry >>> 0, this.pos);
    this.buffer.writeUInt32LE(
      (Math.floor(low16 / 0x100000000) + ((high / 0x10000) >>> 0) + Math.floor(lowWithCarry / 0x100000000)) >>> 0,
      this.pos + 4,
    );
    this.pos += 8;
  }

  private fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** Varint of a whole number; negative ones as the two's complement int64 (ten bytes), as protobuf does. */
  private varint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buffer[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buffer[this.pos++] = v;
      return;
    }
    const abs = Math.abs(value);
    let low = abs >>> 0;
    let high = (abs / 0x100000000) >>> 0;
    if (value < 0) {
      low = ~low >>> 0;
      high = ~high >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buffer[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low & 0x7f;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

interface DecodedId {
  hex: string;
  bytes: Uint8Array;
}

export const VARINT = 0;
const I64 = 1;
export const LEN = 2;
const I32 = 5;
const SHORT_STRING = 48;
/**
 * Bytes reserved for a request span's length: its spans are 128 bytes to 16 KB long (two bytes of varint), so
 * that the whole span need not move by a byte when it ends, as a one-byte reservation would make it.
 */
const SPAN_LENGTH_BYTES = 2;
/** A batch of 512 request spans is ~350 KB; what a batch with captured bodies needs is not kept between batches. */
const KEEP_BYTES = 4 * 1024 * 1024;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const FLAGS_HAS_IS_REMOTE = 0x100;
const FLAGS_IS_REMOTE = 0x200;

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | FLAGS_HAS_IS_REMOTE | (isRemote ? FLAGS_IS_REMOTE : 0);
}

/** A hex digit's value by its character code (0-9, a-f, A-F). */
const HEX = new Uint8Array(128);
for (let digit = 0; digit < 16; digit++) {
  HEX['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** Bytes of the varint of a length (below 2^32). */
export function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}
