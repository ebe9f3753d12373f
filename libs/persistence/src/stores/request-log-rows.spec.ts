import { RequestLogRows, withoutNulCharacters } from './request-log-rows';

describe('withoutNulCharacters', () => {
  const roundTrip = (value: string): string => JSON.parse(withoutNulCharacters(JSON.stringify(value))) as string;

  it('drops U+0000 and keeps everything around it', () => {
    expect(roundTrip('upstream\u0000 said\u0000\u0000 no')).toBe('upstream said no');
  });

  it('keeps a literal backslash followed by "u0000", which is text and not the character', () => {
    expect(roundTrip('C:\\u0000dir')).toBe('C:\\u0000dir');
    expect(roundTrip('\\\u0000x')).toBe('\\x');
    expect(roundTrip('\\\\\u0000x')).toBe('\\\\x');
  });

  it('returns text without the escape unchanged', () => {
    const json = JSON.stringify({ errorMessage: 'plain', warnings: ['a\\b'] });
    expect(withoutNulCharacters(json)).toBe(json);
  });
});

describe('RequestLogRows', () => {
  const row = (i: number): string => JSON.stringify({ requestId: `req-${i}`, errorMessage: `é 😀 \u2028 "${'x'.repeat(i % 50)}"` });

  it('builds one JSON array of the rows, growing past its first buffer, multi-byte text included', () => {
    const rows = new RequestLogRows(Buffer.alloc(16));
    const texts = Array.from({ length: 300 }, (_, i) => row(i));
    rows.append(texts.slice(0, 1));
    rows.append(texts.slice(1));
    expect(rows.count).toBe(300);
    expect(JSON.parse(rows.toJsonArray().toString('utf8'))).toEqual(texts.map((text) => JSON.parse(text) as unknown));
  });

  it('is an empty array with no rows, and starts over cleanly on a released buffer', () => {
    expect(new RequestLogRows().toJsonArray().toString()).toBe('[]');
    const first = new RequestLogRows();
    first.append([row(1), row(2), row(3)]);
    const second = new RequestLogRows(first.release());
    second.append([row(9)]);
    expect(JSON.parse(second.toJsonArray().toString('utf8'))).toEqual([JSON.parse(row(9))]);
  });
});
