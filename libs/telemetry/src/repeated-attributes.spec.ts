import type { AttributeValue } from '@opentelemetry/api';
import { OtlpProtobufWriter } from './otlp-protobuf-writer';
import { RepeatedAttributeCache } from './repeated-attributes';
import { SpanAttribute, spanAttributes } from './span-attribute';

/** What the writer alone writes for these attributes, and what it writes through the cache. */
function written(attributes: [SpanAttribute, AttributeValue][]): { direct: Buffer; cached: Buffer } {
  const direct = new OtlpProtobufWriter(64);
  const viaCache = new OtlpProtobufWriter(64);
  const cache = new RepeatedAttributeCache();
  for (const [attribute, value] of attributes) {
    direct.attribute(attribute.key, value);
    cache.write(viaCache, attribute, value);
  }
  return { direct: direct.takeBytes(), cached: viaCache.takeBytes() };
}

const A = spanAttributes(
  'http.route',
  'http.response.status_code',
  'gen_ai.request.stream',
  'ah.request_id',
  'gen_ai.usage.input_tokens',
  'ah.time_to_first_byte_ms',
  'ah.model.mapped',
  'gen_ai.response.finish_reasons',
  'gen_ai.input.messages',
  'ah.conversation.key',
  'ah.channel',
  'ah.ratio',
);

describe('RepeatedAttributeCache', () => {
  it('writes the bytes the encoder writes, for repeated and varying values of every kind', () => {
    const attributes: [SpanAttribute, AttributeValue][] = [];
    for (let request = 0; request < 300; request++) {
      attributes.push(
        [A['http.route'], request % 3 === 0 ? '/v1/responses' : '/v1/chat/completions'],
        [A['http.response.status_code'], request % 7 === 0 ? 502 : 200],
        [A['gen_ai.request.stream'], request % 2 === 0],
        [A['ah.request_id'], `019a3c1e-7d2b-7c4e-9f1a-${String(request).padStart(12, '0')}`], // never repeats
        [A['gen_ai.usage.input_tokens'], request % 90], // more values than a key keeps
        [A['ah.time_to_first_byte_ms'], request % 4 === 0 ? 12.5 : -0],
        [A['ah.model.mapped'], request % 5 === 0 ? 'deepseek-chät' : 'bench-chat'],
        [A['gen_ai.response.finish_reasons'], ['stop']],
        [A['gen_ai.input.messages'], `{"input":"${'x'.repeat(200)}"}`], // too long to keep
        [A['ah.conversation.key'], `会话-${request % 2}`],
        // The same value in runs (the last value's copy), then another, then the first again.
        [A['ah.channel'], request < 100 ? 'fast-chat' : request < 200 ? 'slow-chat' : 'fast-chat'],
        [A['ah.ratio'], request % 11 === 0 ? Number.NaN : request % 2 === 0 ? 0.5 : 0],
      );
    }
    const { direct, cached } = written(attributes);
    expect(cached.equals(direct)).toBe(true);
  });

  it('encodes a repeated value once and copies it after; a key of ever new values stops being kept', () => {
    const writer = new OtlpProtobufWriter();
    const encode = jest.spyOn(writer, 'attributeWithKey');
    const cache = new RepeatedAttributeCache();
    // Map lookups counted around the writes only (the assertions may use maps of their own).
    const lookUp = jest.spyOn(Map.prototype, 'get');
    for (let request = 0; request < 100; request++) cache.write(writer, A['ah.channel'], 'fast-chat');
    const lookUpsOfOneValue = lookUp.mock.calls.length;
    cache.write(writer, A['ah.channel'], 'slow-chat');
    cache.write(writer, A['ah.channel'], 'slow-chat');
    cache.write(writer, A['ah.channel'], 'fast-chat');
    const lookUpsInAll = lookUp.mock.calls.length;
    lookUp.mockRestore();
    // The same value as the last one is copied without a lookup; another is looked up once, then is the last.
    expect(lookUpsOfOneValue).toBe(1);
    expect(lookUpsInAll).toBe(3);
    expect(encode).toHaveBeenCalledTimes(2);

    encode.mockClear();
    for (let request = 0; request < 100; request++) cache.write(writer, A['ah.request_id'], `req-${request}`);
    expect(encode).toHaveBeenCalledTimes(100);
    encode.mockClear();
    // The key is given up: even its first value, seen again, is encoded rather than looked up.
    for (let request = 0; request < 10; request++) cache.write(writer, A['ah.request_id'], 'req-0');
    expect(encode).toHaveBeenCalledTimes(10);
  });

  it('keeps each attribute apart, also two of the same name made in two places', () => {
    const first = new SpanAttribute('ah.profile');
    const second = new SpanAttribute('ah.profile');
    const { direct, cached } = written([
      [first, 'default'],
      [second, 'fast'],
      [first, 'default'],
      [second, 'fast'],
    ]);
    expect(cached.equals(direct)).toBe(true);
  });
});
