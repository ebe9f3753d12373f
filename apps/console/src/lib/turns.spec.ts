import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot, readUpstreamRecording } from '../../../../test/support/recordings';
import { turnContent } from './turns';

/** A real Codex request body (recorded, test/fixtures/clients/codex). */
function codexRequest(name: string): string {
  const recorded = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'codex', name), 'utf8')) as { body: unknown };
  return JSON.stringify(recorded.body);
}

describe('turnContent', () => {
  it("takes a Codex turn's prompt from what is new after the model's last word: the tool result, not the history", () => {
    const { prompt } = turnContent(codexRequest('tool-followup.json'), '');
    expect(prompt).toHaveLength(1);
    expect(prompt[0]).toMatchObject({ kind: 'tool_result', call_id: 'call_c4e069fc862140150773891d' });
    expect((prompt[0] as { output: string }).output).toContain('TOOL_OK');
  });

  it("shows a first turn's words as the prompt and Codex's own context and instructions apart", () => {
    const { prompt } = turnContent(codexRequest('first-turn.json'), '');
    const roles = prompt.map((part) => (part.kind === 'text' ? part.role : part.kind));
    expect(roles.filter((role) => role === 'user')).toHaveLength(1);
    expect(roles).toContain('context');
    expect(roles).toContain('developer');
  });

  it('reads the answer of a streamed Responses call: reasoning summary and tool call (a real recording)', () => {
    const { answer } = turnContent('{}', readUpstreamRecording('openai-responses/reasoning-encrypted.sse'));
    expect(answer.length).toBeGreaterThan(0);
    expect(answer.some((part) => part.kind === 'tool_call' || part.kind === 'text')).toBe(true);
  });

  it('folds a streamed Chat Completions answer: reasoning_content, content and tool-call argument deltas', () => {
    const reasoning = turnContent('{}', readUpstreamRecording('openai-chat/deepseek-reasoning.sse')).answer;
    expect(reasoning.map((part) => part.kind)).toEqual(['reasoning', 'text']);
    expect((reasoning[0] as { text: string }).text.length).toBeGreaterThan(20);

    const tool = turnContent('{}', readUpstreamRecording('openai-chat/tool.sse')).answer;
    const call = tool.find((part) => part.kind === 'tool_call') as { name: string; arguments: string } | undefined;
    expect(call?.name).not.toBe('');
    expect(() => JSON.parse(call!.arguments) as unknown).not.toThrow();
  });

  it('reads whole (non-streamed) answers of both protocols', () => {
    const chat = turnContent('{}', readUpstreamRecording('openai-chat/text.json')).answer;
    expect(chat).toEqual([{ kind: 'text', role: 'assistant', text: expect.any(String) as unknown }]);
    const responses = turnContent('{}', readUpstreamRecording('openai-responses/stop.json')).answer;
    expect(responses.some((part) => part.kind === 'text')).toBe(true);
  });

  it('takes Chat messages: the trailing user message and tool results after the last assistant message', () => {
    const request = JSON.stringify({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
        { role: 'user', content: [{ type: 'text', text: 'and now?' }] },
      ],
    });
    expect(turnContent(request, '').prompt).toEqual([
      { kind: 'tool_result', call_id: 'c1', output: 'a.txt' },
      { kind: 'text', role: 'user', text: 'and now?' },
    ]);
  });

  it('survives bodies that are not JSON or were cut by the capture limit', () => {
    expect(turnContent('{"input": [', 'data: {"type":"response.cre')).toEqual({ prompt: [], answer: [] });
    expect(turnContent(JSON.stringify({ input: 'plain prompt' }), '').prompt).toEqual([
      { kind: 'text', role: 'user', text: 'plain prompt' },
    ]);
  });
});
