/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument -- recorded wire JSON is read loosely, the way a client reads it */
/**
 * The real Claude Code requests (2.1 with system-role messages, adaptive thinking, effort and
 * context_management; and an older one with cache_control on tool results) decoded to IR, then encoded for
 * an Anthropic channel (what matters survives: model, system, messages, tools, thinking and effort, the
 * fields the IR has no meaning for) and for a Chat channel (with a warning for each thing Chat cannot take).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WarningCollector } from '@gw/ir';
import { decodeAnthropicRequest, encodeAnthropicRequest } from '@gw/protocol-anthropic-messages';
import { encodeChatRequest } from '@gw/protocol-openai-chat';
import { fixturesRoot } from '../support/recordings';

type Json = Record<string, any>;

function claudeCodeBody(name: string): Json {
  const recorded = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'claude-code', name), 'utf8')) as Json;
  return (recorded.body ?? recorded) as Json;
}

/**
 * Content in one form: a string is one text block (a tool result's string content likewise), and consecutive
 * user or assistant messages are one turn, as Anthropic itself reads them (the encoder merges them).
 */
function normalized(messages: Json[]): Json[] {
  const blocks = (content: unknown): Json[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Json[]));
  const turns: Json[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      turns.push(message);
      continue;
    }
    const content = blocks(message.content).map((block) =>
      block.type === 'tool_result' ? { ...block, content: blocks(block.content) } : block,
    );
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === message.role) last.content = [...last.content, ...content];
    else turns.push({ role: message.role, content });
  }
  return turns;
}

const requests = ['messages-1.request.json', 'messages-current.request.json'];

describe('Claude Code requests → IR → Anthropic channel', () => {
  it.each(requests)('%s keeps model, system, messages, tools, sampling and thinking', (name) => {
    const original = claudeCodeBody(name);
    const warnings = new WarningCollector();
    const { body } = encodeAnthropicRequest(decodeAnthropicRequest(original), warnings);
    expect(warnings.list).toEqual([]);
    expect(body.model).toBe(original.model);
    expect(body.max_tokens).toBe(original.max_tokens);
    expect(body.system).toEqual(original.system);
    expect(normalized(body.messages)).toEqual(normalized(original.messages));
    expect(body.tools).toEqual(original.tools);
    expect(body.metadata).toEqual(original.metadata);
    for (const key of ['stream', 'temperature', 'thinking', 'output_config', 'context_management'])
      expect(body[key]).toEqual(original[key]);
    expect(Object.keys(body).sort()).toEqual(Object.keys(original).sort());
  });

  it('messages-current: adaptive thinking with effort high, and the system-role message stays in place', () => {
    const ir = decodeAnthropicRequest(claudeCodeBody('messages-current.request.json'));
    expect(ir.reasoning).toEqual({ effort: 'high' });
    expect(ir.items.map((item) => (item.kind === 'message' ? item.role : item.kind))).toEqual(['system', 'user', 'system']);
    expect(ir.providerData).toEqual({ anthropic: { context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] } } });
  });
});

describe('Claude Code requests → IR → Chat channel', () => {
  it('messages-current: system first, every tool, effort as reasoning_effort, a warning for each dropped thing', () => {
    const original = claudeCodeBody('messages-current.request.json');
    const warnings = new WarningCollector();
    const { body } = encodeChatRequest(decodeAnthropicRequest(original), warnings);
    expect(body.model).toBe(original.model);
    expect(body.messages.map((message) => message.role)).toEqual(['system', 'user', 'system']);
    expect(body.messages[0]?.content).toBe((original.system as Json[]).map((block) => block.text).join('\n\n'));
    expect(body.tools?.map((tool) => tool.function.name)).toEqual((original.tools as Json[]).map((tool) => tool.name));
    expect(body.tools?.find((tool) => tool.function.name === 'CronList')?.function.parameters).toMatchObject({ properties: {} });
    expect(body.reasoning_effort).toBe('high');
    expect(body.max_tokens).toBe(original.max_tokens);
    expect(body.user).toBe(original.metadata.user_id);
    expect(body.stream).toBe(true);
    const messages = warnings.list.map((warning) => warning.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^anthropic 'cache_control' \(\d+×\) cannot be sent to a Chat Completions upstream$/),
        "anthropic 'context_management' cannot be sent to a Chat Completions upstream",
      ]),
    );
    expect(messages).toHaveLength(2);
  });

  it('messages-1: tool_use and tool_result become tool_calls and tool messages with the same ids', () => {
    const original = claudeCodeBody('messages-1.request.json');
    const warnings = new WarningCollector();
    const { body } = encodeChatRequest(decodeAnthropicRequest(original), warnings);
    const uses = (original.messages as Json[])
      .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
      .filter((block: Json) => block.type === 'tool_use');
    const calls = body.messages.flatMap((message) => (message.role === 'assistant' ? (message.tool_calls ?? []) : []));
    expect(calls.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual(
      uses.map((use: Json) => [use.id, use.name, use.input]),
    );
    const results = body.messages
      .filter((message) => message.role === 'tool')
      .map((message) => (message.role === 'tool' ? message.tool_call_id : ''));
    expect(results).toEqual(uses.map((use: Json) => use.id));
    expect(body.temperature).toBe(original.temperature);
    expect(warnings.list.map((warning) => warning.message)).toEqual([expect.stringMatching(/^anthropic 'cache_control' \(\d+×\)/)]);
  });
});
