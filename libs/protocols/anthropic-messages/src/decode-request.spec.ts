import { GatewayError, type IrItem } from '@gw/ir';
import { decodeAnthropicRequest } from './decode-request';
import { FOREIGN_SIGNATURE_PREFIX, foreignSignature, providerDataFromSignature } from './provider-data';

const minimal = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };

function invalid(body: unknown): GatewayError {
  try {
    decodeAnthropicRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('decodeAnthropicRequest', () => {
  it('reads a minimal request: one user message, max_tokens, no stream', () => {
    expect(decodeAnthropicRequest(minimal)).toEqual({
      model: 'claude-sonnet-4-5',
      items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      tools: [],
      stream: false,
      maxOutputTokens: 1024,
    });
  });

  it('reads system blocks, images, tool use and results (text, image, is_error), thinking with signature and redacted thinking, in order', () => {
    const ir = decodeAnthropicRequest({
      ...minimal,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://x/cat.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Let me look.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'look', input: { zoom: 2 } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              is_error: true,
              content: [
                { type: 'text', text: 'blurry' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j' } },
              ],
            },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } },
          ],
        },
      ],
    });
    const expected: IrItem[] = [
      {
        kind: 'message',
        role: 'system',
        content: [{ type: 'text', text: 'Be brief.', providerData: { anthropic: { cache_control: { type: 'ephemeral' } } } }],
      },
      {
        kind: 'message',
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
          { type: 'image', source: { type: 'url', url: 'https://x/cat.png' } },
        ],
      },
      { kind: 'reasoning', text: 'Let me look.', providerData: { anthropic: { signature: 'sig-1' } } },
      { kind: 'reasoning', providerData: { anthropic: { redactedData: 'opaque' } } },
      { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Checking.' }] },
      { kind: 'tool_call', callId: 'toolu_1', name: 'look', arguments: '{"zoom":2}' },
      {
        kind: 'tool_result',
        callId: 'toolu_1',
        isError: true,
        content: [
          { type: 'text', text: 'blurry' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/jpeg', data: '/9j' } },
        ],
      },
      {
        kind: 'message',
        role: 'user',
        content: [
          {
            type: 'unsupported',
            description: "Anthropic 'document' block",
            original: { anthropicContentBlock: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'notes' } } },
          },
        ],
      },
    ];
    expect(ir.items).toEqual(expected);
  });

  it('maps tools (no-argument and server tools), tool_choice, sampling, stop sequences, thinking and metadata', () => {
    const ir = decodeAnthropicRequest({
      ...minimal,
      stream: true,
      tools: [
        { name: 'now', description: 'Current time', input_schema: { type: 'object', properties: {} } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
      ],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      thinking: { type: 'enabled', budget_tokens: 2048 },
      metadata: { user_id: 'u-1' },
    });
    expect(ir.tools).toEqual([
      { kind: 'function', name: 'now', description: 'Current time', parameters: { type: 'object', properties: {} } },
      { kind: 'builtin', type: 'web_search_20250305', original: { type: 'web_search_20250305', name: 'web_search', max_uses: 3 } },
    ]);
    expect(ir).toMatchObject({
      stream: true,
      includeUsageInStream: true,
      toolChoice: { mode: 'required' },
      parallelToolCalls: false,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      reasoning: { budgetTokens: 2048 },
      user: 'u-1',
    });
    expect(decodeAnthropicRequest({ ...minimal, tool_choice: { type: 'tool', name: 'now' } }).toolChoice).toEqual({
      mode: 'tool',
      name: 'now',
    });
    expect(decodeAnthropicRequest({ ...minimal, tool_choice: { type: 'none' } }).toolChoice).toEqual({ mode: 'none' });
  });

  it('reads adaptive thinking with output_config.effort, maps max to high, and carries what the IR has no field for', () => {
    const ir = decodeAnthropicRequest({
      ...minimal,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'max', format: { type: 'json_schema', schema: { type: 'object' } } },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      service_tier: 'auto',
    });
    expect(ir.reasoning).toEqual({ effort: 'high' });
    expect(ir.providerData).toEqual({
      anthropic: {
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        service_tier: 'auto',
      },
    });
    // Structured output is read into the IR, so every upstream type gets it (ADR 0021).
    expect(ir.responseFormat).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema: { type: 'object' } } });
    expect(decodeAnthropicRequest({ ...minimal, thinking: { type: 'disabled' } }).reasoning).toBeUndefined();
  });

  it('keeps system-role messages inside messages where Claude Code 2.1 puts them', () => {
    const ir = decodeAnthropicRequest({ ...minimal, messages: [...minimal.messages, { role: 'system', content: 'Agent types: ...' }] });
    expect(ir.items.map((item) => (item.kind === 'message' ? item.role : item.kind))).toEqual(['user', 'system']);
  });

  it.each([
    [{ ...minimal, max_tokens: undefined }, 'max_tokens'],
    [{ ...minimal, model: '' }, 'model'],
    [{ ...minimal, messages: [] }, 'messages'],
    [{ ...minimal, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    [
      { ...minimal, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 'b', input: {} }] }] },
      'messages[0].content[0]',
    ],
    [
      { ...minimal, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'ftp' } }] }] },
      'messages[0].content[0].source.type',
    ],
    [{ ...minimal, temperature: 1.5 }, 'temperature'],
    [{ ...minimal, tool_choice: { type: 'sometimes' } }, 'tool_choice.type'],
    [{ ...minimal, thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    [{ ...minimal, output_config: { effort: 'extreme' } }, 'output_config.effort'],
    [{ ...minimal, stop_sequences: [1] }, 'stop_sequences'],
    ['not an object', 'body'],
  ])('answers a 400 naming the field: %#', (body, param) => {
    const error = invalid(body);
    expect(error.code).toBe('invalid_request');
    expect(error.httpStatus).toBe(400);
    expect(error.param).toBe(param);
  });
});

describe('reasoning state of another issuer, carried through an Anthropic client', () => {
  it('a signature made by the gateway gives back the original provider data, never an Anthropic signature', () => {
    const providerData = { 'openai-responses': { encryptedContent: 'gAAAA-opaque' } };
    const malformed = `${FOREIGN_SIGNATURE_PREFIX}not-json`;
    const ir = decodeAnthropicRequest({
      ...minimal,
      messages: [
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'Plan.', signature: foreignSignature(providerData) }] },
        { role: 'user', content: 'Again' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'Odd.', signature: malformed }] },
      ],
    });
    expect(ir.items[1]).toEqual({ kind: 'reasoning', text: 'Plan.', providerData });
    // A malformed envelope is just an opaque signature: Anthropic will judge it.
    expect(ir.items[3]).toEqual({ kind: 'reasoning', text: 'Odd.', providerData: { anthropic: { signature: malformed } } });
    const smuggled = Buffer.from(JSON.stringify({ anthropic: { signature: 'fake' } })).toString('base64url');
    expect(providerDataFromSignature(`${FOREIGN_SIGNATURE_PREFIX}${smuggled}`)).toBeUndefined();
  });
});

describe('structured output', () => {
  it("reads output_config.format's JSON schema as the response format, and keeps the other output_config members", () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const request = decodeAnthropicRequest({
      model: 'claude',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'n?' }],
      output_config: { effort: 'low', format: { type: 'json_schema', schema }, other: 1 },
    });
    expect(request.responseFormat).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema } });
    expect(request.providerData?.anthropic?.output_config).toEqual({ other: 1 });
  });
});
