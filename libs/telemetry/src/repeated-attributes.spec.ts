import type { AttributeValue } from '@opentelemetry/api';
import { OtlpProtobufWriter } from './otlp-protobuf-writer';
import { RepeatedAttributeCache } from './repeated-attributes';

/** What the writer alone writes for these attributes, and what it writes through the cache. */
function written(attributes: [string, AttributeValue][]): { direct: Buffer; cached: Buffer } {
  const direct = new OtlpProtobufWriter(64);
  const viaCache = new OtlpProtobufWriter(64);
  const cache = new RepeatedAttributeCache();
  for (const [key, value] of attributes) {
    direct.attribute(key, value);
    cache.write(viaCache, key, value);
  }
  return { direct: direct.takeBytes(), cached: viaCache.takeBytes() };
}

describe('RepeatedAttributeCache', () => {
  it('writes the bytes the encoder writes, for repeated and varying values of every kind', () => {
    const attributes: [string, AttributeValue][] = [];
    for (let request = 0; request < 300; request++) {
      attributes.push(
        ['http.route', request % 3 === 0 ? '/v1/responses' : '/v1/chat/completions'],
        ['http.response.status_code', request % 7 === 0 ? 502 : 200],
        ['gen_ai.request.stream', request % 2 === 0],
        ['ah.request_id', `019a3c1e-7d2b-7c4e-9f1a-${String(request).padStart(12, '0')}`], // never repeats
        ['gen_ai.usage.input_tokens', request % 90], // more values than a key keeps
        ['ah.time_to_first_byte_ms', request % 4 === 0 ? 12.5 : -0],
        ['ah.model.mapped', request % 5 === 0 ? 'deepseek-chät' : 'bench-chat'],
        ['gen_ai.response.finish_reasons', ['stop']],
        ['gen_ai.input.messages', `{"input":"${'x'.repeat(200)}"}`], // too long to keep
        ['ah.conversation.key', `会话-${request % 2}`],
      );
    }
    const { direct, cached } = written(attributes);
    expect(cached.equals(direct)).toBe(true);
  });

  it('encodes a repeated value once and copies it after; a key of ever new values stops being kept', () => {
    const writer = new OtlpProtobufWriter();
    const encode = jest.spyOn(writer, 'attribute');
    const cache = new RepeatedAttributeCache();
    for (let request = 0; request < 100; request++) cache.write(writer, 'ah.channel', 'fast-chat');
    expect(encode).toHaveBeenCalledTimes(1);

    encode.mockClear();
    for (let request = 0; request < 100; request++) cache.write(writer, 'ah.request_id', `req-${request}`);
    expect(encode).toHaveBeenCalledTimes(100);
    encode.mockClear();
    // The key is given up: even its first value, seen again, is encoded rather than looked up.
    for (let request = 0; request < 10; request++) cache.write(writer, 'ah.request_id', 'req-0');
    expect(encode).toHaveBeenCalledTimes(10);
  });
});
