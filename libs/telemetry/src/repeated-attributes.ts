import type { AttributeValue } from '@opentelemetry/api';
import type { OtlpProtobufWriter } from './otlp-protobuf-writer';

/** Distinct values remembered per key; a key seen with more (a request id, a token count) is not cached. */
const MAX_VALUES_PER_KEY = 64;
/** Longer strings are rarely repeated (ids, bodies) and would make the cache heavy. */
const MAX_CACHED_STRING = 96;
/** Keys come from the gateway's code; the bound only guards against a caller that makes them up. */
const MAX_KEYS = 256;

/**
 * Encoded `KeyValue`s of the attribute values that repeat from request to request. Most of a request span's
 * attributes do (the route, the status, the protocol, the key, the project, the models, the channel, the
 * profile, the provider's address): they are encoded once, the first time, and copied as bytes after, which
 * costs a third of encoding them (ADR 0014, "What tracing costs"). The bytes are the encoder's own, so the
 * output is the same either way. Values that do not repeat stop being looked up once a key has shown
 * `MAX_VALUES_PER_KEY` of them.
 */
export class RepeatedAttributeCache {
  /** Per key, its values' encodings; null for a key whose values vary too much to be worth a lookup. */
  private readonly byKey = new Map<string, Map<string | number | boolean, Uint8Array> | null>();

  /** Writes `key = value` as `Span.attributes` into `writer`, from the cache when it holds it. */
  write(writer: OtlpProtobufWriter, key: string, value: AttributeValue): void {
    if (typeof value === 'object' || (typeof value === 'string' && value.length > MAX_CACHED_STRING)) {
      writer.attribute(key, value);
      return;
    }
    let values = this.byKey.get(key);
    if (values === null) {
      writer.attribute(key, value);
      return;
    }
    const cached = values?.get(value);
    if (cached !== undefined) {
      writer.raw(cached);
      return;
    }
    const start = writer.pos;
    writer.attribute(key, value);
    if (values === undefined) {
      if (this.byKey.size >= MAX_KEYS) return;
      values = new Map();
      this.byKey.set(key, values);
    }
    if (values.size >= MAX_VALUES_PER_KEY) this.byKey.set(key, null);
    else values.set(value, writer.bytesSince(start));
  }
}
