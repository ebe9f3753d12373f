import { LARGE_JSON_STRING, asciiJsonString, isJsonStringCached, jsonBytes, jsonBytesCacheSize } from './json-bytes';

const large = (seed: string): string => seed.repeat(Math.ceil(LARGE_JSON_STRING / seed.length) + 1);

/** The JSON value the bytes hold, compared as values: escapes may differ from JSON.stringify's spelling. */
const valueOf = (bytes: Buffer): unknown => JSON.parse(bytes.toString('utf8'));

describe('jsonBytes', () => {
  const instructions = large('You are Codex — a coding agent; don’t “guess” → check 😀 \n\t"quoted" \\ \u0001 ');

  it('holds the same JSON value as JSON.stringify, members in the same order, undefined members left out', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'system', content: instructions },
        { role: 'user', content: 'short ’ é' },
        { role: 'user', content: large('plain ascii ') },
      ],
      tools: [{ type: 'function', function: { name: 'f', description: large('describe é '), parameters: { a: [1, null, true] } } }],
      skipped: undefined,
      stream: true,
    };
    const bytes = jsonBytes(body);
    expect(valueOf(bytes)).toEqual(JSON.parse(JSON.stringify(body)));
    expect(Object.keys(valueOf(bytes) as object)).toEqual(['model', 'messages', 'tools', 'stream']);
  });

  it('writes large strings with their non-ASCII characters escaped, so a body like Codex’s is ASCII', () => {
    const body = { messages: [{ role: 'system', content: instructions }], n: 1 };
    const bytes = jsonBytes(body);
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    expect(bytes.toString('latin1')).toContain('\\u2014'); // the em dash
    expect(bytes.toString('latin1')).toContain('\\ud83d\\ude00'); // the emoji, as its surrogate pair
    expect(valueOf(bytes)).toEqual(body);
  });

  it('gives JSON.stringify’s exact bytes when the text is ASCII or its non-ASCII strings are short', () => {
    for (const body of [{ a: 'plain', b: large('ascii ') }, { a: 'é ’ 😀 \u0122', b: [1, 2] }, { a: '\u0122\u0141' }]) {
      expect(jsonBytes(body).equals(Buffer.from(JSON.stringify(body)))).toBe(true);
    }
  });

  it('never mistakes characters above U+00FF for the ASCII their low byte looks like', () => {
    // U+0122 is 0x22 ('"') in Latin-1 once its high byte is dropped; U+0141 is 0x41 ('A').
    const body = { text: 'Ģ\u0141' };
    expect(valueOf(jsonBytes(body))).toEqual(body);
  });

  it('escapes lone surrogates as JSON.stringify does', () => {
    const text = large('a\ud800b\udc00c');
    expect(JSON.parse(asciiJsonString(text))).toBe(text);
    expect(asciiJsonString(text)).toBe(JSON.stringify(text));
  });

  it('leaves the caller’s value as it was', () => {
    const body = { messages: [{ content: instructions }], keep: [instructions] };
    const before = JSON.stringify(body);
    jsonBytes(body);
    expect(JSON.stringify(body)).toBe(before);
    expect(body.messages[0]?.content).toBe(instructions);
  });

  it('gives the same bytes from its cache as without it, for an equal string from another request', () => {
    const first = jsonBytes({ content: instructions });
    const again = jsonBytes({ content: (' ' + instructions).slice(1) }); // an equal string, another object
    expect(again.equals(first)).toBe(true);
  });

  it('keeps the cache bounded, however many different large strings pass', () => {
    for (let index = 0; index < 300; index++) jsonBytes({ content: large(`string ${index} ’ `) });
    const size = jsonBytesCacheSize();
    expect(size.entries).toBeLessThanOrEqual(64);
    expect(size.chars).toBeLessThanOrEqual(2 * 1024 * 1024);
    const huge = large('x').repeat(300); // ~300 KB: escaped, not cached
    const entries = jsonBytesCacheSize().entries;
    expect(valueOf(jsonBytes({ huge }))).toEqual({ huge });
    expect(jsonBytesCacheSize().entries).toBe(entries);
  });

  it('keeps the string in use and lets the least recently used go', () => {
    const prompt = large('the same instructions every turn ’ ');
    const first = large('used once ’ ');
    jsonBytes({ content: prompt });
    jsonBytes({ content: first });
    for (let index = 0; index < 200; index++) {
      jsonBytes({ instructions: prompt, content: large(`turn ${index} ’ `) });
    }
    expect(isJsonStringCached(prompt)).toBe(true);
    expect(isJsonStringCached(first)).toBe(false);
  });

  it('writes values with their own JSON form as JSON.stringify does', () => {
    const body = { when: new Date(0), text: large('t ’ ') };
    expect(valueOf(jsonBytes(body))).toEqual(JSON.parse(JSON.stringify(body)));
  });
});
