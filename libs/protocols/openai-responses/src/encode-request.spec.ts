import { type IrRequest, WarningCollector } from '@gw/ir';
import { decodeResponsesRequest } from './decode-request';
import { encodeResponsesRequest } from './encode-request';
import { readJsonFixture } from './fixture-files.spec-helper';

describe('encodeResponsesRequest', () => {
  it('codex-tool-followup through a Responses channel: regroups the namespace and resends items as Codex sent them', () => {
    const original = (readJsonFixture('clients/codex/tool-followup.json') as { body: Record<string, unknown> }).body;
    const warnings = new WarningCollector();
    const { body } = encodeResponsesRequest(decodeResponsesRequest(original), warnings);

    expect(warnings.list).toEqual([]);
    expect(body).toMatchObject({ model: 'gpt-5', stream: true, store: false, tool_choice: 'auto', parallel_tool_calls: true });
    expect(body.reasoning).toEqual({ summary: 'auto' });
    expect(body.include).toEqual(['reasoning.encrypted_content']);
    expect(body.prompt_cache_key).toBe('01a20a1f-4b16-73c0-ad08-3bdf869f12b0');
    // Items and tools round-trip to the client's own JSON, apart from the optional input `status` and the
    // namespace description, which the IR does not keep.
    const originalInput = (original.input as Record<string, unknown>[]).map(({ status: _status, ...item }) => item);
    expect(body.input).toEqual(originalInput);
    const originalTools = original.tools as Record<string, unknown>[];
    expect(body.tools).toHaveLength(originalTools.length);
    expect(body.tools?.[4]).toEqual({ ...originalTools[4], description: 'Tools in the multi_agent_v1 namespace.' });
    expect(body.tools?.filter((_, index) => index !== 4)).toEqual(originalTools.filter((_, index) => index !== 4));
  });

  it('a Chat-shaped conversation: roles kept, tool call/result items, foreign ids and reasoning dropped with warnings', () => {
    const ir: IrRequest = {
      model: 'gpt-4.1',
      stream: false,
      items: [
        { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        {
          kind: 'message',
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'image', source: { type: 'url', url: 'data:image/png;base64,AA' }, detail: 'high' },
          ],
        },
        { kind: 'reasoning', text: 'thinking (DeepSeek)' },
        { kind: 'message', id: 'chatcmpl-9', role: 'assistant', content: [{ type: 'text', text: 'Calling.' }] },
        { kind: 'tool_call', id: 'toolu_1', callId: 'call_1', name: 'shell', arguments: '{"command":"ls"}' },
        { kind: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'a.txt' }] },
        {
          kind: 'message',
          role: 'user',
          content: [{ type: 'unsupported', original: { type: 'input_audio' }, description: 'input_audio part' }],
        },
      ],
      tools: [
        { kind: 'function', name: 'shell', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
        { kind: 'function', name: 'noargs' },
      ],
      toolChoice: { mode: 'tool', name: 'shell' },
      stop: ['END'],
      maxOutputTokens: 50,
      responseFormat: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
    };
    const warnings = new WarningCollector();
    const { body } = encodeResponsesRequest(ir, warnings);
    expect(body.input).toEqual([
      { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'Be brief.' }] },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Hi' },
          { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'high' },
        ],
      },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Calling.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"command":"ls"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', name: 'shell', parameters: { type: 'object', properties: { command: { type: 'string' } } }, strict: false },
      { type: 'function', name: 'noargs', parameters: { type: 'object', properties: {} }, strict: false },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', name: 'shell' });
    expect(body.max_output_tokens).toBe(50);
    expect(body.text).toEqual({ format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } });
    expect(body.store).toBe(false);
    expect(body).not.toHaveProperty('include');
    expect(warnings.list.map((warning) => warning.code)).toEqual(['content_dropped', 'content_dropped', 'parameter_dropped']);
    expect(warnings.list[1]?.message).toBe('input_audio part cannot be sent to a Responses upstream');
  });

  it('forwards passthrough items and parts verbatim and merges a builtin namespace into its group', () => {
    const shellCall = { type: 'local_shell_call', call_id: 'c9', action: { type: 'exec', command: ['ls'] }, status: 'completed' };
    const file = { type: 'input_file', file_id: 'file_1' };
    const ir = decodeResponsesRequest({
      model: 'm',
      input: [shellCall, { role: 'user', content: [{ type: 'input_text', text: 'see' }, file] }],
      tools: [
        {
          type: 'namespace',
          name: 'ns',
          description: 'Mine',
          tools: [
            { type: 'function', name: 'f', parameters: { type: 'object' } },
            { type: 'web_search', name: 'w' },
          ],
        },
        { type: 'file_search', vector_store_ids: ['vs_1'] },
      ],
    });
    const { body } = encodeResponsesRequest(ir, new WarningCollector());
    expect(body.input).toEqual([shellCall, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'see' }, file] }]);
    expect(body.tools).toEqual([
      {
        type: 'namespace',
        name: 'ns',
        description: 'Mine',
        tools: [
          { type: 'function', name: 'f', parameters: { type: 'object' }, strict: false },
          { type: 'web_search', name: 'w' },
        ],
      },
      { type: 'file_search', vector_store_ids: ['vs_1'] },
    ]);
  });

  it('gives custom (freeform) tools, their calls and outputs back as a Responses client sent them', () => {
    const grammar = { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' };
    const customCall = { type: 'custom_tool_call', call_id: 'c9', name: 'exec', namespace: 'functions', input: 'run()' };
    const ir = decodeResponsesRequest({
      model: 'm',
      input: [customCall, { type: 'custom_tool_call_output', call_id: 'c9', output: 'ok' }],
      tools: [{ type: 'namespace', name: 'functions', description: '', tools: [{ type: 'custom', name: 'exec', format: grammar }] }],
    });
    const { body } = encodeResponsesRequest(ir, new WarningCollector());
    expect(body.input).toEqual([customCall, { type: 'custom_tool_call_output', call_id: 'c9', output: 'ok' }]);
    expect(body.tools).toEqual([
      {
        type: 'namespace',
        name: 'functions',
        description: 'Tools in the functions namespace.',
        tools: [{ type: 'custom', name: 'exec', format: grammar }],
      },
    ]);
  });

  it("drops an Anthropic client's server tool with a warning instead of sending it to OpenAI", () => {
    const warnings = new WarningCollector();
    const { body } = encodeResponsesRequest(
      {
        model: 'm',
        items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'search' }] }],
        tools: [
          { kind: 'builtin', type: 'web_search_20250305', original: { type: 'web_search_20250305', name: 'web_search' } },
          { kind: 'builtin', type: 'web_search', original: { type: 'web_search' } },
        ],
        stream: false,
      },
      warnings,
    );
    expect(body.tools).toEqual([{ type: 'web_search' }]);
    expect(warnings.list.map((warning) => warning.code)).toEqual(['tool_dropped']);
  });
});
