import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastObjectMember, startsLikeJsonObject } from './json-member';

const FIXTURES = join(__dirname, '../../../../test/fixtures/upstream');

describe('lastObjectMember', () => {
  it('reads usage from recorded answers exactly as a full parse does', () => {
    for (const file of ['openai-chat/text.json', 'openai-chat/tool.json', 'openai-chat/deepseek-reasoning.json']) {
      const bytes = readFileSync(join(FIXTURES, file));
      const full = JSON.parse(bytes.toString('utf8')) as { usage: unknown };
      expect(full.usage).toBeDefined();
      expect(lastObjectMember(bytes, 'usage')).toEqual(full.usage);
    }
  });

  it('takes the last key, skips a string value equal to the name, and ignores the name inside strings', () => {
    const body = {
      name: 'usage',
      text: 'a "usage": {"prompt_tokens": 999} inside a string, and braces } { too',
      nested: { usage: { prompt_tokens: 1 } },
      usage: { prompt_tokens: 7, details: { cached_tokens: 2, note: 'x}y"z' } },
      after: 'usage',
    };
    expect(lastObjectMember(Buffer.from(JSON.stringify(body, null, 2)), 'usage')).toEqual(body.usage);
  });

  it('is undefined for a null or missing member and for a truncated or broken object', () => {
    expect(lastObjectMember(Buffer.from('{"id":"x","usage":null}'), 'usage')).toBeUndefined();
    expect(lastObjectMember(Buffer.from('{"id":"x"}'), 'usage')).toBeUndefined();
    expect(lastObjectMember(Buffer.from('{"usage":{"prompt_tokens":1'), 'usage')).toBeUndefined();
    expect(lastObjectMember(Buffer.from('{"usage":{"prompt_tokens":}}'), 'usage')).toBeUndefined();
  });
});

describe('startsLikeJsonObject', () => {
  it('accepts an object after whitespace and refuses anything else', () => {
    expect(startsLikeJsonObject(Buffer.from(' \n{"a":1}'))).toBe(true);
    expect(startsLikeJsonObject(Buffer.from('<html>'))).toBe(false);
    expect(startsLikeJsonObject(Buffer.from(''))).toBe(false);
    expect(startsLikeJsonObject(Buffer.from('[1]'))).toBe(false);
  });
});
