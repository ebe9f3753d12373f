import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTopLevelMembers } from './json-member';

const CLIENT_FIXTURES = join(__dirname, '../../../test/fixtures/clients');

describe('withTopLevelMembers', () => {
  it('refuses to edit a body with a case variant of a name, which the caller re-encodes without it', () => {
    for (const json of ['{"model":"a","MODEL":"b"}', '{"Model":"b","model":"a"}', '{"model":"a","ſtream_options":{}}']) {
      expect(withTopLevelMembers(Buffer.from(json), { model: '"m"', stream_options: '{}' }, 2)).toBeUndefined();
    }
    // Other keys of the same length are no variants.
    expect(withTopLevelMembers(Buffer.from('{"model":"a","modal":1}'), { model: '"m"' }, 2)?.toString()).toBe('{"model":"m","modal":1}');
  });

  const edit = (json: string, members: Record<string, string>): string | undefined =>
    withTopLevelMembers(Buffer.from(json), members, Object.keys(JSON.parse(json) as object).length)?.toString('utf8');

  it('replaces a member in place and copies every other byte as it came', () => {
    const json =
      String.raw`{ "messages" : [{"role":"user","content":"caf\u00e9 \"quoted\" {x} \\"}],` +
      '\n  "model" : "gpt-4",  "temperature":0.20 }';
    expect(JSON.parse(json)).toMatchObject({ model: 'gpt-4' }); // valid JSON, escapes and all
    expect(edit(json, { model: '"deepseek-chat"' })).toBe(json.replace('"gpt-4"', '"deepseek-chat"'));
  });

  it('appends a missing member before the closing brace, also to an empty object', () => {
    expect(edit('{"model":"a","stream":true}\n', { stream_options: '{"include_usage":true}' })).toBe(
      '{"model":"a","stream":true,"stream_options":{"include_usage":true}}\n',
    );
    expect(edit('{ }', { model: '"m"' })).toBe('{ "model":"m"}');
    expect(edit('{"stream_options":null,"model":"a"}', { model: '"b"', stream_options: '{"include_usage":true}' })).toBe(
      '{"stream_options":{"include_usage":true},"model":"b"}',
    );
  });

  it('touches only the top level: the name inside strings and nested objects stays', () => {
    const body = {
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { model: { type: 'string' } } } } }],
      messages: [{ role: 'user', content: 'set "model": "x" and {"model":"y"} \\' }],
      metadata: { model: 'nested' },
      n: -1.5e3,
      flag: false,
      none: null,
      model: 'gpt-4',
      after: [[], {}, ''],
    };
    const edited = edit(JSON.stringify(body, null, 1), { model: '"mapped"' });
    expect(JSON.parse(edited as string)).toEqual({ ...body, model: 'mapped' });
  });

  it("edits Codex's real 46 KB request exactly as re-encoding it would", () => {
    const codex = (JSON.parse(readFileSync(join(CLIENT_FIXTURES, 'codex/first-turn.json'), 'utf8')) as { body: Record<string, unknown> })
      .body;
    const bytes = Buffer.from(JSON.stringify(codex));
    const edited = withTopLevelMembers(bytes, { model: '"deepseek-chat"' }, Object.keys(codex).length);
    expect(JSON.parse((edited as Buffer).toString('utf8'))).toEqual({ ...codex, model: 'deepseek-chat' });
    expect((edited as Buffer).length).toBe(bytes.length - JSON.stringify(codex.model).length + '"deepseek-chat"'.length);
  });

  it('refuses documents whose routed value could be shadowed: a repeated member or an escaped key', () => {
    expect(edit('{"model":"a","x":1,"model":"b"}', { model: '"m"' })).toBeUndefined();
    expect(edit('{"model":"a","mod\\u0065l":"b"}', { model: '"m"' })).toBeUndefined();
    expect(edit('{"a\\"b":1,"model":"a"}', { model: '"m"' })).toBeUndefined();
    // Any repeated key: the upstream might read the copy JSON.parse dropped (`stream`, `stream_options`...).
    expect(edit('{"stream":false,"model":"a","stream":true}', { model: '"m"' })).toBeUndefined();
    expect(edit('{"model":"a","stream_options":{"include_usage":false,"include_usage":true}}', { model: '"m"' })).toBe(
      '{"model":"m","stream_options":{"include_usage":false,"include_usage":true}}',
    ); // nested repeats are not the top level's; the hook re-encodes what it must (below)
  });
});

describe('withTopLevelMembers removing members', () => {
  /** Removes `names` (setting nothing); the parsed key count is JSON.parse's, as the hooks pass it. */
  const remove = (json: string, names: string[], members: Record<string, string> = {}): string | undefined =>
    withTopLevelMembers(Buffer.from(json), members, Object.keys(JSON.parse(json) as object).length, [], names)?.toString('utf8');
  /** What deleting the names from the parsed value gives: the removal must read back as exactly that. */
  const deleted = (json: string, names: string[]): unknown => {
    const value = JSON.parse(json) as Record<string, unknown>;
    for (const name of names) delete value[name];
    return value;
  };

  it.each([
    ['the first member', '{"logprobs":true,"model":"m","n":1}', ['logprobs'], '{"model":"m","n":1}'],
    ['a middle member', '{"model":"m","logprobs":true,"n":1}', ['logprobs'], '{"model":"m","n":1}'],
    ['the last member', '{"model":"m","n":1,"logprobs":true}', ['logprobs'], '{"model":"m","n":1}'],
    ['the only member', '{"logprobs":true}', ['logprobs'], '{}'],
    ['two adjacent members at the start', '{"a":1,"b":2,"c":3}', ['a', 'b'], '{"c":3}'],
    ['two adjacent members in the middle', '{"a":1,"b":2,"c":3,"d":4}', ['b', 'c'], '{"a":1,"d":4}'],
    ['two adjacent members at the end', '{"a":1,"b":2,"c":3}', ['b', 'c'], '{"a":1}'],
    ['the first and the last member', '{"a":1,"b":2,"c":3}', ['a', 'c'], '{"b":2}'],
    ['every member', '{"a":1,"b":2,"c":3}', ['c', 'a', 'b'], '{}'],
    ['every other member', '{"a":1,"b":2,"c":3,"d":4,"e":5}', ['a', 'c', 'e'], '{"b":2,"d":4}'],
  ])('removes %s with its comma, every other byte as it came', (_where, json, names, expected) => {
    expect(remove(json, names)).toBe(expected);
    expect(JSON.parse(expected)).toEqual(deleted(json, names));
  });

  it('keeps the whitespace of the members that stay, in every layout', () => {
    expect(remove('{ "a" : 1 , "b" : 2 , "c" : 3 }', ['b'])).toBe('{ "a" : 1 , "c" : 3 }');
    expect(remove('{ "a" : 1 , "b" : 2 , "c" : 3 }', ['a'])).toBe('{ "b" : 2 , "c" : 3 }');
    expect(remove('{ "a" : 1 , "b" : 2 , "c" : 3 }', ['c'])).toBe('{ "a" : 1 , "b" : 2 }');
    expect(remove('{ "a" : 1 }', ['a'])).toBe('{  }');
    const pretty = JSON.stringify({ model: 'm', logprobs: true, top_logprobs: 2, messages: [] }, null, 2);
    expect(remove(pretty, ['logprobs', 'top_logprobs'])).toBe(JSON.stringify({ model: 'm', messages: [] }, null, 2));
    const tabs = '{\r\n\t"logprobs":\ttrue,\r\n\t"model":\t"m"\r\n}\r\n';
    expect(remove(tabs, ['logprobs'])).toBe('{\r\n\t"model":\t"m"\r\n}\r\n');
    for (const json of [pretty, tabs]) expect(JSON.parse(remove(json, ['logprobs'])!)).toEqual(deleted(json, ['logprobs']));
  });

  it('skips nested values whole: strings with escaped quotes, braces, brackets, backslashes and unicode', () => {
    const tricky =
      String.raw`{"messages":[{"role":"user","content":"\"logprobs\": true, } ] { [ \\\" caf\u00e9 ☕ 😀 \\"}],` +
      String.raw`"logit_bias":{"50256":-100,"nested":{"a":["}",{"b":"\"{"}]}},` +
      String.raw`"metadata":{"logprobs":true},"logprobs":true,"model":"m"}`;
    const out = remove(tricky, ['logit_bias', 'logprobs'])!;
    expect(JSON.parse(out)).toEqual(deleted(tricky, ['logit_bias', 'logprobs']));
    // The nested `logprobs` (in metadata, in the text) stays; the rest of the bytes are the client's.
    expect(out).toBe(
      String.raw`{"messages":[{"role":"user","content":"\"logprobs\": true, } ] { [ \\\" caf\u00e9 ☕ 😀 \\"}],` +
        String.raw`"metadata":{"logprobs":true},"model":"m"}`,
    );
  });

  it('removes every copy of a repeated removed key (no copy is left for any parser to read)', () => {
    const json = '{"logprobs":false,"model":"m","logprobs":true}';
    expect(remove(json, ['logprobs'])).toBe('{"model":"m"}');
    expect(remove('{"a":1,"logprobs":1,"logprobs":2,"b":2}', ['logprobs'])).toBe('{"a":1,"b":2}');
    // Another key repeated is still a reason to re-encode.
    expect(remove('{"stream":true,"logprobs":true,"stream":false}', ['logprobs'])).toBeUndefined();
  });

  it('returns the very bytes when no removed name is there (and nothing is set)', () => {
    const bytes = Buffer.from('{"model":"m","messages":[{"content":"logprobs"}],"metadata":{"logprobs":1}}');
    expect(withTopLevelMembers(bytes, {}, 3, [], ['logprobs', 'logit_bias'])).toBe(bytes);
    expect(withTopLevelMembers(Buffer.from('{}'), {}, 0, [], ['logprobs'])?.toString()).toBe('{}');
  });

  it('matches names exactly, as deleting them from the parsed value would: a case variant stays', () => {
    expect(remove('{"LOGPROBS":true,"logprobs":true,"model":"m"}', ['logprobs'])).toBe('{"LOGPROBS":true,"model":"m"}');
    expect(remove('{"logprobsx":true,"logprob":1}', ['logprobs'])).toBe('{"logprobsx":true,"logprob":1}');
  });

  it('refuses (for re-encoding) a removed name written with escapes, which JSON.parse reads as the name', () => {
    expect(remove(String.raw`{"model":"m","logprob\u0073":true}`, ['logprobs'])).toBeUndefined();
  });

  it('sets and removes in one pass; a name both set and removed is removed', () => {
    const json = '{"model":"a","stream":true,"stream_options":{"include_usage":false},"logprobs":true}';
    expect(remove(json, ['logprobs'], { model: '"b"', stream_options: '{"include_usage":true}' })).toBe(
      '{"model":"b","stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(remove(json, ['stream_options', 'logprobs'], { model: '"b"', stream_options: '{"include_usage":true}' })).toBe(
      '{"model":"b","stream":true}',
    );
    // Appended after the last member left, or into an object left empty.
    expect(remove('{"model":"a","logprobs":true}', ['logprobs'], { stream_options: '{}' })).toBe('{"model":"a","stream_options":{}}');
    expect(remove('{"logprobs":true}', ['logprobs'], { model: '"m"' })).toBe('{"model":"m"}');
  });

  it.each(['{"a":1,}', '{"a":1', '{"a" 1}', '{"a":1 "b":2}', '[{"a":1}]', '{"a":"x}'])(
    'refuses what is not a JSON object (%s) rather than edit it',
    (json) => {
      expect(withTopLevelMembers(Buffer.from(json), {}, 1, [], ['a'])).toBeUndefined();
    },
  );

  it("removes from Codex's real 46 KB request exactly what deleting it from the parsed value removes", () => {
    const codex = (JSON.parse(readFileSync(join(CLIENT_FIXTURES, 'codex/first-turn.json'), 'utf8')) as { body: Record<string, unknown> })
      .body;
    const keys = Object.keys(codex);
    const bytes = Buffer.from(JSON.stringify(codex, null, 1));
    for (const names of [[keys[0]!], [keys.at(-1)!], keys.slice(1, 3), ['tools', 'instructions']]) {
      const edited = withTopLevelMembers(bytes, {}, keys.length, [], names);
      expect(JSON.parse((edited as Buffer).toString('utf8'))).toEqual(deleted(bytes.toString('utf8'), names));
    }
  });
});
