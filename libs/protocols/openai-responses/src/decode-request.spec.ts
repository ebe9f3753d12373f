import { GatewayError, toolResultText, type IrFunctionTool, type IrItem } from '@gw/ir';
import { decodeResponsesRequest } from './decode-request';
import { readFixture, readJsonFixture } from './fixture-files.spec-helper';

function codexBody(name: string): unknown {
  return (readJsonFixture(`clients/codex/${name}.json`) as { body: unknown }).body;
}

function expectInvalid(body: unknown, param: string): void {
  try {
    decodeResponsesRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('invalid_request');
    expect((error as GatewayError).httpStatus).toBe(400);
    expect((error as GatewayError).param).toBe(param);
    return;
  }
  throw new Error(`expected a 400 for ${param}`);
}

describe('decodeResponsesRequest', () => {
  describe('codex-first-turn', () => {
    const ir = decodeResponsesRequest(codexBody('first-turn'));

    it('keeps the conversation: developer prompts then user messages, with client ids', () => {
      expect(ir.model).toBe('gpt-5');
      expect(ir.stream).toBe(true);
      expect(ir.includeUsageInStream).toBe(true);
      expect(ir.items.map((item) => (item.kind === 'message' ? item.role : item.kind))).toEqual(['developer', 'developer', 'user', 'user']);
      expect(ir.items[0]?.id).toBe('msg_345c2db4-e444-5d56-b7d6-31203bd25c60');
      expect(ir.items[3]).toEqual({
        kind: 'message',
        id: 'msg_01a20a1f-4b62-7c33-b85d-114b06fe14a0',
        role: 'user',
        content: [{ type: 'text', text: 'TOOLTEST please run echo' }],
      });
    });

    it('flattens the multi_agent_v1 namespace into 5 namespaced function tools and keeps web_search as builtin', () => {
      const functions = ir.tools.filter((tool): tool is IrFunctionTool => tool.kind === 'function');
      expect(functions).toHaveLength(12);
      const namespaced = functions.filter((tool) => tool.namespace !== undefined);
      expect(namespaced.map((tool) => tool.name)).toEqual(['close_agent', 'resume_agent', 'send_input', 'spawn_agent', 'wait_agent']);
      expect(new Set(namespaced.map((tool) => tool.namespace))).toEqual(new Set(['multi_agent_v1']));
      expect(namespaced[1]?.parameters).toMatchObject({ type: 'object', properties: { id: { type: 'string' } } });
      const execCommand = functions[0];
      expect(execCommand).toMatchObject({ name: 'exec_command', strict: false });
      expect(execCommand).not.toHaveProperty('namespace');
      const builtins = ir.tools.filter((tool) => tool.kind === 'builtin');
      expect(builtins).toEqual([{ kind: 'builtin', type: 'web_search', original: { type: 'web_search', external_web_access: false } }]);
    });

    it('reads the sampling and caching fields and ignores store/include/client_metadata', () => {
      expect(ir.toolChoice).toEqual({ mode: 'auto' });
      expect(ir.parallelToolCalls).toBe(true);
      expect(ir.reasoning).toEqual({ summary: 'auto' });
      expect(ir.promptCacheKey).toBe('01a20a1f-4b16-73c0-ad08-3bdf869f12b0');
      expect(ir).not.toHaveProperty('store');
      expect(ir.metadata).toBeUndefined();
    });
  });

  it('codex-tool-followup: the function_call and its output share a call_id', () => {
    const ir = decodeResponsesRequest(codexBody('tool-followup'));
    expect(ir.items).toHaveLength(6);
    expect(ir.items[4]).toEqual({
      kind: 'tool_call',
      id: 'fc_c806d8aa869ecb5fd93a1543',
      callId: 'call_c4e069fc862140150773891d',
      name: 'exec_command',
      arguments: '{"cmd":"echo TOOL_OK"}',
    });
    const result = ir.items[5];
    expect(result).toMatchObject({
      kind: 'tool_result',
      id: 'fco_01a20a1f-4d3d-74b0-8274-06acbf947c2e',
      callId: 'call_c4e069fc862140150773891d',
    });
    expect(result?.kind === 'tool_result' && toolResultText(result).endsWith('Output:\nTOOL_OK\n')).toBe(true);
  });

  it('decodes every Responses request the openai SDK sent', () => {
    const requests = readFixture('clients/sdk-requests.jsonl')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { path: string; body: unknown })
      .filter((request) => request.path === '/v1/responses');
    expect(requests).toHaveLength(5);
    const decoded = requests.map((request) => decodeResponsesRequest(request.body));
    expect(decoded[0]?.items).toEqual([{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'say PONG' }] }]);
    expect(decoded[0]?.stream).toBe(false);
    expect(decoded[1]?.stream).toBe(true);
    expect(decoded[3]?.tools).toEqual([
      {
        kind: 'function',
        name: 'shell',
        description: 'run',
        parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
        strict: false,
      },
    ]);
    // The SDK's tool follow-up: easy input message (no type), function_call with extra `parsed_arguments`, output.
    expect(decoded[4]?.items.map((item: IrItem) => item.kind)).toEqual(['message', 'tool_call', 'tool_result']);
    expect(decoded[4]?.items[1]).toMatchObject({ callId: 'call_ad396b240be42d68a8880e4a', name: 'shell' });
    expect(decoded[4]?.items[2]).toEqual({
      kind: 'tool_result',
      callId: 'call_ad396b240be42d68a8880e4a',
      content: [{ type: 'text', text: 'TOOL_OK' }],
    });
  });

  it('turns instructions into a leading system message and reads the remaining fields', () => {
    const ir = decodeResponsesRequest({
      model: 'gpt-5',
      instructions: 'Be brief.',
      input: [
        {
          type: 'message',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'hi' },
            { type: 'refusal', refusal: 'no' },
          ],
        },
        { role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'low' }] },
      ],
      tool_choice: { type: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1' },
      max_output_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      reasoning: { effort: 'high', summary: 'detailed' },
      user: 'u-1',
      metadata: { team: 'a' },
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' } } },
    });
    expect(ir.items[0]).toEqual({ kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] });
    expect(ir.items[1]).toEqual({
      kind: 'message',
      role: 'assistant',
      content: [
        { type: 'text', text: 'hi' },
        { type: 'refusal', text: 'no' },
      ],
    });
    expect(ir.items[2]).toEqual({
      kind: 'message',
      role: 'user',
      content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' }, detail: 'low' }],
    });
    expect(ir.toolChoice).toEqual({ mode: 'tool', name: 'spawn_agent', namespace: 'multi_agent_v1' });
    expect(ir).toMatchObject({ maxOutputTokens: 100, temperature: 0.5, topP: 0.9, user: 'u-1', metadata: { team: 'a' } });
    expect(ir.reasoning).toEqual({ effort: 'high', summary: 'detailed' });
    expect(ir.responseFormat).toEqual({ type: 'json_schema', name: 'answer', schema: { type: 'object' } });
  });

  it('keeps the text and image parts of an array function_call_output, and reasoning state under its issuer', () => {
    const ir = decodeResponsesRequest({
      model: 'm',
      input: [
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Thinking' }], encrypted_content: 'gAAA' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'a' },
            { type: 'input_image', image_url: 'x' },
            { type: 'input_text', text: 'b' },
          ],
        },
      ],
    });
    expect(ir.items).toEqual([
      { kind: 'reasoning', id: 'rs_1', summary: ['Thinking'], providerData: { 'openai-responses': { encryptedContent: 'gAAA' } } },
      {
        kind: 'tool_result',
        callId: 'c1',
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', source: { type: 'url', url: 'x' } },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('carries item types with no IR shape as passthrough messages instead of failing', () => {
    const shellCall = { type: 'local_shell_call', call_id: 'c9', action: { type: 'exec', command: ['ls'] }, status: 'completed' };
    const ir = decodeResponsesRequest({
      model: 'm',
      input: [shellCall, { type: 'local_shell_call_output', call_id: 'c9', output: 'ok' }],
    });
    expect(ir.items[0]).toEqual({
      kind: 'message',
      role: 'assistant',
      content: [{ type: 'unsupported', original: { responsesInputItem: shellCall }, description: "input item 'local_shell_call'" }],
    });
    expect(ir.items[1]).toMatchObject({ kind: 'message', role: 'user' });
  });

  it('decodes custom (freeform) tools, their calls and outputs, inside a namespace too', () => {
    const grammar = { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' };
    const ir = decodeResponsesRequest({
      model: 'm',
      input: [
        { type: 'custom_tool_call', id: 'ctc_1', call_id: 'c9', name: 'apply_patch', input: '*** Begin Patch' },
        { type: 'custom_tool_call_output', call_id: 'c9', output: 'ok' },
      ],
      tools: [
        { type: 'custom', name: 'apply_patch', description: 'Patch files' },
        { type: 'namespace', name: 'functions', description: '', tools: [{ type: 'custom', name: 'exec', format: grammar }] },
      ],
    });
    expect(ir.items).toEqual([
      { kind: 'tool_call', id: 'ctc_1', callId: 'c9', name: 'apply_patch', arguments: '*** Begin Patch', freeform: true },
      { kind: 'tool_result', callId: 'c9', content: [{ type: 'text', text: 'ok' }] },
    ]);
    expect(ir.tools).toEqual([
      { kind: 'function', name: 'apply_patch', description: 'Patch files', freeform: {} },
      { kind: 'function', name: 'exec', namespace: 'functions', freeform: { format: grammar } },
    ]);
  });

  it("takes the tools of an `additional_tools` input item (Codex's newer shape) as the request's tools", () => {
    const ir = decodeResponsesRequest({
      model: 'gpt-5.6-terra',
      input: [
        {
          type: 'additional_tools',
          id: 'at_1',
          role: 'developer',
          tools: [
            {
              type: 'namespace',
              name: 'functions',
              description: '',
              tools: [{ type: 'function', name: 'wait', parameters: { type: 'object' } }],
            },
          ],
        },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      ],
    });
    expect(ir.tools).toEqual([{ kind: 'function', name: 'wait', namespace: 'functions', parameters: { type: 'object' } }]);
    expect(ir.items).toEqual([{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('keeps members of a namespace that are neither functions nor custom tools grouped in a builtin namespace tool', () => {
    const ir = decodeResponsesRequest({
      model: 'm',
      input: 'x',
      tools: [
        {
          type: 'namespace',
          name: 'ns',
          description: 'd',
          tools: [
            { type: 'function', name: 'f' },
            { type: 'web_search', name: 'w' },
          ],
        },
      ],
    });
    expect(ir.tools).toEqual([
      { kind: 'function', name: 'f', namespace: 'ns' },
      {
        kind: 'builtin',
        type: 'namespace',
        original: { type: 'namespace', name: 'ns', description: 'd', tools: [{ type: 'web_search', name: 'w' }] },
      },
    ]);
  });

  it.each([
    [[], 'body'],
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: 3 }, 'input'],
    [{ model: 'm', input: [{ type: 'message', role: 'bot', content: 'x' }] }, 'input[0].role'],
    [{ model: 'm', input: [{ role: 'user', content: 5 }] }, 'input[0].content'],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id'],
    [{ model: 'm', input: [{ content: 'x' }] }, 'input[0].type'],
    [{ model: 'm', input: 'x', tools: {} }, 'tools'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name'],
    [{ model: 'm', input: 'x', tool_choice: 'sometimes' }, 'tool_choice'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens'],
    [{ model: 'm', input: 'x', reasoning: { effort: 'extreme' } }, 'reasoning.effort'],
    [{ model: 'm', input: 'x', metadata: { a: 1 } }, 'metadata.a'],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream'],
    [{ model: 'm', input: 'x', previous_response_id: 'resp_1' }, 'previous_response_id'],
  ])('rejects %j with a 400 naming %s', (body, param) => {
    expectInvalid(body, param);
  });
});
