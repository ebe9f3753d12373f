import { WarningCollector } from '@gw/ir';
import type { IrRequest } from '@gw/ir';
import { decodeChatRequest } from './decode-request';
import { encodeChatRequest } from './encode-request';
import { readSdkRequests } from './fixtures.test-helper';

const shellTool = {
  type: 'function',
  function: {
    name: 'shell',
    description: 'run a shell command',
    parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
};

/** What the upstream must receive for each chat request the openai SDK 6.x sent, in recording order. */
const expectedUpstreamBodies: unknown[] = [
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say PONG' }] },
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say PONG' }], stream: true, stream_options: { include_usage: true } },
  // The client did not ask for usage; the gateway asks anyway for its own logs.
  { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'say PONG' }], stream: true, stream_options: { include_usage: true } },
  {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'TOOLTEST run echo' }],
    tools: [shellTool],
    stream: true,
    stream_options: { include_usage: true },
  },
  {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'user', content: 'TOOLTEST run echo' },
      // The SDK's extra `refusal: null` and `parsed: null` are gone.
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_d898a6aee207810b59484567',
            type: 'function',
            function: { name: 'shell', arguments: '{"command":["bash","-lc","echo TOOL_OK"]}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_d898a6aee207810b59484567', content: 'TOOL_OK' },
    ],
    tools: [shellTool],
  },
];

describe('encodeChatRequest', () => {
  it('round-trips every recorded openai SDK chat request to the expected upstream body', () => {
    const chatRequests = readSdkRequests().filter((request) => request.method === 'POST' && request.path === '/v1/chat/completions');
    expect(chatRequests).toHaveLength(expectedUpstreamBodies.length);
    chatRequests.forEach((request, index) => {
      const warnings = new WarningCollector();
      const { body, toolNames } = encodeChatRequest(decodeChatRequest(request.body), warnings);
      expect(body).toEqual(expectedUpstreamBodies[index]);
      expect(toolNames.size).toBe(0);
      expect(warnings.list).toEqual([]);
    });
  });

  /** The shape of a Codex follow-up turn after the Responses decoder: namespaces, built-ins, reasoning. */
  const codexLikeRequest: IrRequest = {
    model: 'gpt-5',
    items: [
      {
        kind: 'message',
        id: 'msg_dev',
        role: 'developer',
        content: [
          { type: 'text', text: '<skills>' },
          { type: 'text', text: '<permissions>' },
        ],
      },
      { kind: 'message', role: 'user', content: [{ type: 'text', text: 'spawn a helper' }] },
      { kind: 'reasoning', id: 'rs_1', summary: ['Plan.'], providerData: { 'openai-responses': { encryptedContent: 'gAAAA' } } },
      { kind: 'message', id: 'msg_a', role: 'assistant', content: [{ type: 'text', text: 'Spawning.' }] },
      { kind: 'tool_call', id: 'fc_1', callId: 'call_1', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{"task":"x"}' },
      { kind: 'tool_call', id: 'fc_2', callId: 'call_2', name: 'exec_command', arguments: '{"cmd":"ls"}' },
      { kind: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'spawned' }] },
      { kind: 'tool_result', callId: 'call_2', content: [{ type: 'text', text: 'file.txt' }] },
      { kind: 'tool_call', callId: 'call_3', name: 'exec_command', arguments: '{}' },
      { kind: 'tool_result', callId: 'call_3', content: [{ type: 'text', text: 'done' }] },
    ],
    tools: [
      { kind: 'function', name: 'exec_command', parameters: { type: 'object' }, strict: false },
      { kind: 'function', name: 'spawn_agent', namespace: 'multi_agent_v1', description: 'Spawn' },
      { kind: 'builtin', type: 'web_search', original: { type: 'web_search' } },
    ],
    toolChoice: { mode: 'auto' },
    parallelToolCalls: true,
    stream: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    promptCacheKey: 'thread-1',
    maxOutputTokens: 2048,
    temperature: 1,
    topP: 0.5,
    stop: ['\n\n'],
    user: 'u',
    responseFormat: { type: 'text' },
  };

  it('flattens namespaces, drops built-ins and reasoning, and groups tool calls on one assistant message', () => {
    const warnings = new WarningCollector();
    const { body, toolNames } = encodeChatRequest(codexLikeRequest, warnings);
    expect(body).toEqual({
      model: 'gpt-5',
      messages: [
        { role: 'system', content: '<skills>\n\n<permissions>' },
        { role: 'user', content: 'spawn a helper' },
        {
          role: 'assistant',
          content: 'Spawning.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{"task":"x"}' } },
            { id: 'call_2', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'spawned' },
        { role: 'tool', tool_call_id: 'call_2', content: 'file.txt' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'exec_command', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_3', content: 'done' },
      ],
      tools: [
        { type: 'function', function: { name: 'exec_command', parameters: { type: 'object' }, strict: false } },
        { type: 'function', function: { name: 'multi_agent_v1__spawn_agent', description: 'Spawn' } },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 2048,
      temperature: 1,
      top_p: 0.5,
      stop: ['\n\n'],
      reasoning_effort: 'medium',
      user: 'u',
      response_format: { type: 'text' },
    });
    expect([...toolNames]).toEqual([['multi_agent_v1__spawn_agent', { name: 'spawn_agent', namespace: 'multi_agent_v1' }]]);
    expect(warnings.list).toEqual([
      { code: 'tool_dropped', message: "built-in tool 'web_search' is not available through a Chat Completions upstream" },
      { code: 'content_dropped', message: "openai-responses 'encryptedContent' cannot be sent to a Chat Completions upstream" },
    ]);
  });

  it('falls back to auto when tool_choice names a dropped tool, and maps a namespaced choice', () => {
    const dropped = new WarningCollector();
    const { body } = encodeChatRequest({ ...codexLikeRequest, toolChoice: { mode: 'tool', name: 'web_search' } }, dropped);
    expect(body.tool_choice).toBe('auto');
    expect(dropped.list.map((warning) => warning.code)).toEqual(['tool_dropped', 'parameter_dropped', 'content_dropped']);

    const namespaced = encodeChatRequest(
      { ...codexLikeRequest, toolChoice: { mode: 'tool', name: 'spawn_agent', namespace: 'multi_agent_v1' } },
      new WarningCollector(),
    );
    expect(namespaced.body.tool_choice).toEqual({ type: 'function', function: { name: 'multi_agent_v1__spawn_agent' } });
  });

  it('shortens names Chat would refuse (over 64 characters, or with other characters) the same way in tools, history and tool_choice, and maps them back', () => {
    const longNamespace = 'mcp__a_rather_long_server_name_for_the_company_wiki';
    const longTool = 'search_pages_by_title_and_body';
    const dotted = 'fetch.url';
    const request: IrRequest = {
      model: 'm',
      items: [
        { kind: 'message', role: 'user', content: [{ type: 'text', text: 'go' }] },
        { kind: 'tool_call', callId: 'call_1', name: longTool, namespace: longNamespace, arguments: '{}' },
        { kind: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'ok' }] },
      ],
      tools: [
        { kind: 'function', name: longTool, namespace: longNamespace },
        { kind: 'function', name: dotted },
        { kind: 'function', name: 'shell' },
      ],
      toolChoice: { mode: 'tool', name: longTool, namespace: longNamespace },
      parallelToolCalls: true,
      stream: false,
    };
    const { body, toolNames } = encodeChatRequest(request, new WarningCollector());
    const wireNames = (body.tools ?? []).map((tool) => tool.function.name);
    for (const name of wireNames) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    const [namespacedWire = '', dottedWire = '', shellWire] = wireNames;
    expect(shellWire).toBe('shell');
    expect(namespacedWire).not.toBe(`${longNamespace}__${longTool}`);
    expect(namespacedWire).toHaveLength(64);
    expect(dottedWire).toMatch(/^fetch_url_[0-9a-f]{8}$/);
    // The history call and the forced choice use the tool's wire name, so the upstream sees one tool.
    const assistant = body.messages.find((message) => message.role === 'assistant') as { tool_calls: { function: { name: string } }[] };
    expect(assistant.tool_calls[0]?.function.name).toBe(namespacedWire);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: namespacedWire } });
    // Same request again (the next turn): the same names.
    expect(encodeChatRequest(request, new WarningCollector()).body.tools?.map((tool) => tool.function.name)).toEqual(wireNames);
    expect(toolNames.get(namespacedWire)).toEqual({ name: longTool, namespace: longNamespace });
    expect(toolNames.get(dottedWire)).toEqual({ name: dotted });
    expect(toolNames.has('shell')).toBe(false);
  });

  it('sends no tool options when every tool was built-in, warning about a required choice', () => {
    const warnings = new WarningCollector();
    const { body } = encodeChatRequest(
      {
        model: 'm',
        items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'search' }] }],
        tools: [{ kind: 'builtin', type: 'web_search', original: { type: 'web_search' } }],
        toolChoice: { mode: 'required' },
        parallelToolCalls: false,
        stream: false,
      },
      warnings,
    );
    expect(body).toEqual({ model: 'm', messages: [{ role: 'user', content: 'search' }] });
    expect(warnings.list.map((warning) => warning.code)).toEqual(['tool_dropped', 'parameter_dropped']);
  });

  it('keeps user images as parts, warns about content Chat cannot carry, and drops metadata with a warning', () => {
    const warnings = new WarningCollector();
    const { body } = encodeChatRequest(
      {
        model: 'm',
        items: [
          {
            kind: 'message',
            role: 'system',
            content: [
              { type: 'text', text: 'sys' },
              { type: 'image', source: { type: 'url', url: 'https://x/sys.png' } },
            ],
          },
          {
            kind: 'message',
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'url', url: 'https://x/a.png' }, detail: 'high' },
              { type: 'unsupported', original: { type: 'input_file' }, description: "Responses content part of type 'input_file'" },
            ],
          },
          { kind: 'message', role: 'assistant', content: [{ type: 'refusal', text: 'No.' }] },
        ],
        tools: [],
        stream: false,
        metadata: { team: 'ai' },
      },
      warnings,
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'sys' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'https://x/a.png', detail: 'high' } },
        ],
      },
      { role: 'assistant', content: null, refusal: 'No.' },
    ]);
    expect(body).not.toHaveProperty('metadata');
    expect(warnings.list).toEqual([
      { code: 'content_dropped', message: 'image part in a system message cannot be sent to a Chat Completions upstream' },
      {
        code: 'content_dropped',
        message: "Responses content part of type 'input_file' in a user message cannot be sent to a Chat Completions upstream",
      },
      { code: 'parameter_dropped', message: 'metadata is not sent to a Chat Completions upstream' },
    ]);
  });
});

describe('response format from a Responses client', () => {
  it("nests Responses' flat json_schema format under json_schema, as Chat upstreams require", () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const { body } = encodeChatRequest(
      {
        model: 'm',
        stream: false,
        tools: [],
        items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'n?' }] }],
        responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true },
      },
      new WarningCollector(),
    );
    expect((body as { response_format: unknown }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
  });
});
