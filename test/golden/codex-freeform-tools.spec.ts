/**
 * Codex's freeform tools on a Chat channel. Codex 0.169 sends, for model names its catalog marks (e.g.
 * `gpt-5.6-*`), no top-level `tools` but an `additional_tools` input item whose `functions` namespace holds
 * the code-mode `custom` tool `exec` (a lark grammar), and answers `exec` calls as `custom_tool_call` items.
 * A Chat upstream gets every one of those tools as a function (`exec` with one string parameter), and the
 * model's call comes back to Codex as a `custom_tool_call` with the raw input, in the namespace it came from.
 */
import { WarningCollector } from '@gw/ir';
import { ChatStreamDecoder, decodeChatResponse, encodeChatRequest } from '@gw/protocol-openai-chat';
import { decodeResponsesRequest, encodeResponsesResponse } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { EXEC_INPUT, codexRequestBody, expectExecReachesCodexAsCustomToolCall } from './codex-custom-tool-call';
import { goldenContext } from './translate-stream';

interface ChatTool {
  type: string;
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** The namespaced tools of the recorded `additional_tools` item, as `namespace__name` (Chat's flattened names). */
function recordedToolNames(body: Record<string, unknown>): string[] {
  const item = (body.input as { type: string; tools?: { name: string; tools: { name: string }[] }[] }[]).find(
    (entry) => entry.type === 'additional_tools',
  );
  return (item?.tools ?? []).flatMap((namespace) => namespace.tools.map((tool) => `${namespace.name}__${tool.name}`));
}

/** A Chat stream in which the model calls `functions__exec` with its input split across chunks, as OpenAI streams arguments. */
function chatStreamCallingExec(input: string): SseEvent[] {
  const argumentsJson = JSON.stringify({ input });
  const pieces = [argumentsJson.slice(0, 7), argumentsJson.slice(7, 19), argumentsJson.slice(19)];
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): SseEvent => ({
    data: JSON.stringify({
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta, finish_reason: finish }],
    }),
  });
  return [
    chunk({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id: 'call_exec', type: 'function', function: { name: 'functions__exec', arguments: '' } }],
    }),
    ...pieces.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
    chunk({}, 'tool_calls'),
    { data: '[DONE]' },
  ];
}

describe("Codex's additional_tools and custom tools on a Chat channel", () => {
  const body = codexRequestBody('additional-tools-first-turn.json');

  it('sends every tool of the additional_tools item to the Chat upstream, exec as a function with one string parameter', () => {
    const warnings = new WarningCollector();
    const chat = encodeChatRequest(decodeResponsesRequest(body), warnings).body as { tools?: ChatTool[]; messages: unknown[] };
    const names = (chat.tools ?? []).map((tool) => tool.function.name);
    expect(names).toEqual(recordedToolNames(body));
    expect(names).toContain('functions__exec');
    const exec = chat.tools?.find((tool) => tool.function.name === 'functions__exec');
    expect(exec?.function.parameters).toEqual({
      type: 'object',
      properties: { input: { type: 'string', description: 'The raw input text.' } },
      required: ['input'],
      additionalProperties: false,
    });
    // The grammar is the only place the model learns exec's syntax from.
    expect(exec?.function.description).toContain('pragma_source');
    // No message is the additional_tools item itself.
    expect(JSON.stringify(chat.messages)).not.toContain('additional_tools');
    expect(warnings.list.filter((warning) => warning.code === 'tool_dropped')).toEqual([]);
  });

  it('returns a streamed exec call to Codex as a custom_tool_call in the functions namespace, with the raw input', () => {
    const { toolNames } = encodeChatRequest(decodeResponsesRequest(body), new WarningCollector());
    expectExecReachesCodexAsCustomToolCall(
      chatStreamCallingExec(EXEC_INPUT),
      new ChatStreamDecoder(goldenContext(), toolNames),
      'call_exec',
    );
  });

  it('returns a non-streamed exec call as a custom_tool_call too', () => {
    const ctx = goldenContext();
    const { toolNames } = encodeChatRequest(decodeResponsesRequest(body), new WarningCollector());
    const answer = {
      id: 'chatcmpl-2',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'functions__exec', arguments: '{"input":"text(1)"}' } }],
          },
        },
      ],
    };
    const response = encodeResponsesResponse(decodeChatResponse(answer, toolNames), ctx, { model: 'gpt-5.6-terra' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'custom_tool_call', call_id: 'call_x', name: 'exec', namespace: 'functions', input: 'text(1)' }),
    ]);
  });

  it("sends Codex's follow-up (custom_tool_call and its output) to Chat as a function call with the input wrapped", () => {
    const followUp = {
      ...body,
      input: [
        ...(body.input as unknown[]),
        { type: 'custom_tool_call', call_id: 'call_exec', name: 'exec', namespace: 'functions', input: 'text("a\\"b")' },
        { type: 'custom_tool_call_output', call_id: 'call_exec', output: 'a"b' },
      ],
    };
    const chat = encodeChatRequest(decodeResponsesRequest(followUp), new WarningCollector()).body as {
      messages: {
        role: string;
        tool_calls?: { id: string; function: { name: string; arguments: string } }[];
        tool_call_id?: string;
        content?: unknown;
      }[];
    };
    const assistant = chat.messages.find((message) => message.tool_calls !== undefined);
    expect(assistant?.tool_calls).toEqual([
      { id: 'call_exec', type: 'function', function: { name: 'functions__exec', arguments: JSON.stringify({ input: 'text("a\\"b")' }) } },
    ]);
    expect(chat.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_exec', content: 'a"b' });
  });
});
