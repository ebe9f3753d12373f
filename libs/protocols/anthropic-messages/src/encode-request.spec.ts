import { WarningCollector, type IrRequest } from '@gw/ir';
import { DEFAULT_MAX_TOKENS, encodeAnthropicRequest } from './encode-request';

const base: IrRequest = { model: 'claude-sonnet-4-5', items: [], tools: [], stream: false };

function encode(request: Partial<IrRequest>): { body: ReturnType<typeof encodeAnthropicRequest>['body']; warnings: string[] } {
  const warnings = new WarningCollector();
  const { body } = encodeAnthropicRequest({ ...base, ...request }, warnings);
  return { body, warnings: warnings.list.map((warning) => warning.message) };
}

describe('encodeAnthropicRequest', () => {
  it('extracts leading system and developer messages, merges consecutive turns and puts tool results first', () => {
    const { body, warnings } = encode({
      items: [
        { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { kind: 'message', role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        { kind: 'message', role: 'user', content: [{ type: 'text', text: 'List files.' }] },
        { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Listing.' }] },
        { kind: 'tool_call', callId: 'c1', name: 'ls', arguments: '{"path":"."}' },
        { kind: 'tool_call', callId: 'c2', name: 'pwd', arguments: '' },
        { kind: 'message', role: 'user', content: [{ type: 'text', text: 'Also this.' }] },
        { kind: 'tool_result', callId: 'c1', content: [{ type: 'text', text: 'a.txt' }] },
        { kind: 'tool_result', callId: 'c2', isError: true, content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
        { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Later note.' }] },
      ],
    });
    expect(warnings).toEqual([]);
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Use tools.' },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'List files.' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Listing.' },
          { type: 'tool_use', id: 'c1', name: 'ls', input: { path: '.' } },
          { type: 'tool_use', id: 'c2', name: 'pwd', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: 'a.txt' },
          {
            type: 'tool_result',
            tool_use_id: 'c2',
            is_error: true,
            content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }],
          },
          { type: 'text', text: 'Also this.' },
        ],
      },
      { role: 'system', content: 'Later note.' },
    ]);
  });

  it('replays thinking only with its Anthropic signature; other reasoning is dropped with a warning', () => {
    const { body, warnings } = encode({
      items: [
        { kind: 'message', role: 'user', content: [{ type: 'text', text: 'Q' }] },
        { kind: 'reasoning', text: 'Mine.', providerData: { anthropic: { signature: 'sig' } } },
        { kind: 'reasoning', providerData: { anthropic: { redactedData: 'opaque' } } },
        { kind: 'reasoning', summary: ['Theirs.'], providerData: { 'openai-responses': { encryptedContent: 'gAAA' } } },
        { kind: 'reasoning', text: 'DeepSeek thoughts.' },
        { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'A' }] },
      ],
    });
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'Mine.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'A' },
      ],
    });
    expect(warnings).toEqual([
      'reasoning without an Anthropic signature cannot be replayed to an Anthropic upstream',
      'reasoning without an Anthropic signature cannot be replayed to an Anthropic upstream',
      "openai-responses 'encryptedContent' cannot be sent to an Anthropic upstream",
    ]);
  });

  it(`sends max_tokens ${DEFAULT_MAX_TOKENS} when the client gave none, above a thinking budget`, () => {
    expect(encode({}).body.max_tokens).toBe(DEFAULT_MAX_TOKENS);
    expect(encode({ maxOutputTokens: 500 }).body.max_tokens).toBe(500);
    const thinking = encode({ reasoning: { budgetTokens: 4000 } }).body;
    expect(thinking.max_tokens).toBe(DEFAULT_MAX_TOKENS + 4000);
    expect(thinking.thinking).toEqual({ type: 'enabled', budget_tokens: 4000 });
  });

  it('maps effort to adaptive thinking, and drops sampling Anthropic refuses with thinking on, with warnings', () => {
    const { body, warnings } = encode({ reasoning: { effort: 'minimal' }, temperature: 0.3, topP: 0.5, topK: 5 });
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'low' });
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('top_k');
    expect(warnings).toHaveLength(3);
    const hot = encode({ temperature: 1.7 });
    expect(hot.body.temperature).toBe(1);
    expect(hot.warnings).toEqual(["temperature 1.7 lowered to 1, Anthropic's maximum"]);
  });

  it('maps tools, no-argument tools, tool_choice and parallel calls; keeps Anthropic server tools; drops other built-ins', () => {
    const { body, warnings } = encode({
      tools: [
        { kind: 'function', name: 'now' },
        { kind: 'function', name: 'spawn', namespace: 'agents', parameters: { type: 'object', properties: { task: { type: 'string' } } } },
        { kind: 'builtin', type: 'web_search_20250305', original: { type: 'web_search_20250305', name: 'web_search' } },
        { kind: 'builtin', type: 'web_search', original: { type: 'web_search' } },
      ],
      toolChoice: { mode: 'tool', name: 'spawn', namespace: 'agents' },
      parallelToolCalls: false,
    });
    expect(body.tools).toEqual([
      { name: 'now', input_schema: { type: 'object', properties: {} } },
      { name: 'agents__spawn', input_schema: { type: 'object', properties: { task: { type: 'string' } } } },
      { type: 'web_search_20250305', name: 'web_search' },
    ]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'agents__spawn', disable_parallel_tool_use: true });
    expect(warnings).toEqual(["built-in tool 'web_search' is not available through an Anthropic upstream"]);
    expect(encode({ tools: [{ kind: 'function', name: 'f' }], toolChoice: { mode: 'required' } }).body.tool_choice).toEqual({
      type: 'any',
    });
  });

  it('sends stop sequences, the user id, a JSON schema format and base64 images; warns about metadata', () => {
    const { body, warnings } = encode({
      stop: ['END'],
      user: 'u-1',
      metadata: { team: 'a' },
      responseFormat: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' } } },
      items: [
        { kind: 'message', role: 'user', content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVB' } }] },
      ],
    });
    expect(body).toMatchObject({
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVB' } }] }],
    });
    expect(warnings).toEqual(["metadata is not sent to an Anthropic upstream (it takes only 'user_id')"]);
  });
});
