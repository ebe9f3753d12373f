/**
 * Codex's freeform (`custom`) tools on an Anthropic channel: Anthropic has no freeform tools, so `exec` (and
 * `apply_patch` with codex models) goes as a function with one string parameter, and the model's `tool_use`
 * comes back to Codex as a `custom_tool_call` with the raw input — streamed (the recorded json-tool.sse with
 * only the tool name and input substituted) and whole — and goes upstream again wrapped on the next turn.
 */
import { WarningCollector } from '@gw/ir';
import { AnthropicStreamDecoder, decodeAnthropicResponse, encodeAnthropicRequest } from '@gw/protocol-anthropic-messages';
import { decodeResponsesRequest, encodeResponsesResponse } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { anthropicToolCallSse } from '../support/templated-replay';
import { EXEC_INPUT, codexRequestBody, expectExecReachesCodexAsCustomToolCall } from './codex-custom-tool-call';
import { goldenContext, parseClientSse } from './translate-stream';

interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

const body = codexRequestBody('additional-tools-first-turn.json');

/** anthropic/json-tool.sse calling `functions__exec` with `{"input": input}` (only the name and the input substituted). */
function recordedExecCall(input: string): SseEvent[] {
  return parseClientSse(anthropicToolCallSse({ name: 'functions__exec', arguments: { input } }));
}

describe("Codex's custom tools on an Anthropic channel", () => {
  it('sends exec as a function with one string parameter, its grammar in the description', () => {
    const warnings = new WarningCollector();
    const encoded = encodeAnthropicRequest(decodeResponsesRequest(body), warnings);
    const tools = encoded.body.tools as AnthropicTool[];
    const exec = tools.find((tool) => tool.name === 'functions__exec');
    expect(exec?.input_schema).toEqual({
      type: 'object',
      properties: { input: { type: 'string', description: 'The raw input text.' } },
      required: ['input'],
      additionalProperties: false,
    });
    expect(exec?.description).toContain('pragma_source');
    expect(encoded.toolNames.get('functions__exec')).toEqual({ name: 'exec', namespace: 'functions', freeform: true });
    expect(warnings.list.filter((warning) => warning.code === 'tool_dropped')).toEqual([]);
  });

  it('returns a streamed exec tool_use to Codex as a custom_tool_call with the raw input', () => {
    const { toolNames } = encodeAnthropicRequest(decodeResponsesRequest(body), new WarningCollector());
    expectExecReachesCodexAsCustomToolCall(
      recordedExecCall(EXEC_INPUT),
      new AnthropicStreamDecoder(goldenContext(), toolNames),
      'toolu_01KFbKqPYSuAKujiL6mTfzYA',
    );
  });

  it('returns a whole exec tool_use as a custom_tool_call too, and other tools as function calls', () => {
    const ctx = goldenContext();
    const { toolNames } = encodeAnthropicRequest(decodeResponsesRequest(body), new WarningCollector());
    const answer = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [
        { type: 'tool_use', id: 'toolu_x', name: 'functions__exec', input: { input: 'text(1)' } },
        { type: 'tool_use', id: 'toolu_y', name: 'functions__wait', input: { cell_id: 'c' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    const response = encodeResponsesResponse(decodeAnthropicResponse(answer, ctx, toolNames), ctx, { model: 'gpt-5.6-terra' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'custom_tool_call', call_id: 'toolu_x', name: 'exec', namespace: 'functions', input: 'text(1)' }),
      expect.objectContaining({ type: 'function_call', call_id: 'toolu_y', name: 'wait', namespace: 'functions' }),
    ]);
  });

  it("sends Codex's follow-up (custom_tool_call and its output) as a tool_use with the input wrapped and its tool_result", () => {
    const followUp = {
      ...body,
      input: [
        ...(body.input as unknown[]),
        { type: 'custom_tool_call', call_id: 'toolu_x', name: 'exec', namespace: 'functions', input: 'text("a\\"b")' },
        { type: 'custom_tool_call_output', call_id: 'toolu_x', output: 'a"b' },
      ],
    };
    const messages = encodeAnthropicRequest(decodeResponsesRequest(followUp), new WarningCollector()).body.messages;
    expect(messages.at(-2)).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_x', name: 'functions__exec', input: { input: 'text("a\\"b")' } }],
    });
    expect(messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'a"b' }] });
  });
});
