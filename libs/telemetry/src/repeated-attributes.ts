import type { AttributeValue } from '@opentelemetry/api';
import { OtlpProtobufWriter } from './otlp-protobuf-writer';
import type { SpanAttribute } from './span-attribute';

/** Distinct values remembered per key; a key seen with more (a request id, a token count) is not cached. */
const MAX_VALUES_PER_KEY = 64;
/** Longer strings are rarely repeated (ids, bodies) and would make the cache heavy. */
const MAX_CACHED_STRING = 96;
/** What `lastValue` holds before a key's first remembered value: equal to no attribute value. */
const NOTHING = Symbol('nothing');

/** What is kept of one key: its encoded name, and the encodings of the values it repeats. */
interface KeySlot {
  /** `KeyValue.key`, tag and length included. */
  readonly encodedKey: Uint8Array;
  /** Per value, its whole `Span.attributes` entry; null for a key whose values vary too much to look up. */
  values: Map<string | number | boolean, Uint8Array> | null;
  /** The value written last and its entry: most keys repeat the same value request after request. */
  lastValue: AttributeValue | typeof NOTHING;
  lastBytes: Uint8Array;
}

/**
 * Encoded `KeyValue`s of the attribute values that repeat from request to request. Most of a request span's
 * attributes do (the route, the status, the protocol, the key, the project, the models, the channel, the
 * profile, the provider's address): they are encoded once, the first time, and copied as bytes after, which
 * costs a third of encoding them (ADR 0014, "What tracing costs"). The bytes are the encoder's own, so the
 * output is the same either way. Keys are found by their `SpanAttribute.index` and a value is first compared
 * with the key's last one, so a repeated value costs no map lookup at all; values that do not repeat stop
 * being looked up once a key has shown `MAX_VALUES_PER_KEY` of them, and their key's name is still copied.
 */
export class RepeatedAttributeCache {
  private readonly slots: (KeySlot | undefined)[] = [];

  /** Writes `attribute = value` as `Span.attributes` into `writer`, from the cache when it holds it. */
  write(writer: OtlpProtobufWriter, attribute: SpanAttribute, value: AttributeValue): void {
    const slot = this.slots[attribute.index] ?? this.slotOf(attribute);
    if (value === slot.lastValue) {
      writer.raw(slot.lastBytes);
      return;
    }
    const values = slot.values;
    if (values === null || typeof value === 'object' || (typeof value === 'string' && value.length > MAX_CACHED_STRING)) {
      writer.attributeWithKey(slot.encodedKey, value);
      return;
    }
    let bytes = values.get(value);
    if (bytes !== undefined) {
      writer.raw(bytes);
    } else {
      const start = writer.pos;
      writer.attributeWithKey(slot.encodedKey, value);
      if (values.size >= MAX_VALUES_PER_KEY) {
        slot.values = null;
        slot.lastValue = NOTHING;
        return;
      }
      bytes = writer.bytesSince(start);
      values.set(value, bytes);
    }
    slot.lastValue = value;
    slot.lastBytes = bytes;
  }

  private slotOf(attribute: SpanAttribute): KeySlot {
    const slot: KeySlot = {
      encodedKey: OtlpProtobufWriter.encodedKey(attribute.key),
      values: new Map(),
      lastValue: NOTHING,
      lastBytes: EMPTY,
    };
    this.slots[attribute.index] = slot;
    return slot;
  }
}

const EMPTY = new Uint8Array(0);
