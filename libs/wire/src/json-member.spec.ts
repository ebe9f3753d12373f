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
