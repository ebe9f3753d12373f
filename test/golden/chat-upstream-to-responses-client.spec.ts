/**
 * The Codex path as golden tests: every recorded Chat Completions stream (OpenAI, DeepSeek reasoning,
 * parallel tools, Azure) translated to a Responses stream must satisfy what Codex needs
 * (../../docs and shared codex-wire.md): every added item closed by `response.output_item.done` carrying the
 * full item, then `response.completed` with an id and usage, sequence numbers strictly increasing.
 */
import { ChatStreamDecoder } from '@gw/protocol-openai-chat';
import { ResponsesStreamEncoder } from '@gw/protocol-openai-responses';
import { goldenContext, parseClientSse, recordedEvents, recordingNames, translate } from './translate-stream';

interface ResponsesEvent {
  type: string;
  sequence_number: number;
  output_index?: number;
  item?: {
    id: string;
    type: string;
    status?: string;
    call_id?: string;
    name?: string;
    arguments?: string;
    content?: { text: string }[];
    summary?: { text: string }[];
  };
  response?: {
    id: string;
    status: string;
    model: string;
    output: { type: string }[];
    usage?: { input_tokens: number; output_tokens: number; total_tokens: number };
  };
  delta?: string;
}

function translateChat(name: string): ResponsesEvent[] {
  const ctx = goldenContext();
  const decoder = new ChatStreamDecoder(ctx);
  const out = translate(recordedEvents(`openai-chat/${name}`), decoder, new ResponsesStreamEncoder(ctx, { model: 'gpt-5' }));
  return parseClientSse(out).map((event) => JSON.parse(event.data) as ResponsesEvent);
}

describe('recorded Chat Completions streams → Responses stream (the Codex path)', () => {
  it.each(recordingNames('openai-chat'))('%s: every item is closed, then response.completed with id and usage', (name) => {
    const events = translateChat(name);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types[types.length - 1]).toBe('response.completed');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => event.item?.id);
    const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item?.id);
    expect(done.sort()).toEqual(added.sort());
    expect(added.length).toBeGreaterThan(0);
    const completed = events[events.length - 1]?.response;
    expect(completed?.id).toMatch(/^resp_/);
    expect(completed?.model).toBe('gpt-5');
    expect(completed?.output).toHaveLength(added.length);
  });

  it("text.sse: the text deltas join to the message item and the usage is the recording's", () => {
    const events = translateChat('text.sse');
    const deltas = events.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta ?? '');
    const message = events.find((event) => event.type === 'response.output_item.done' && event.item?.type === 'message')?.item;
    expect(message?.content?.[0]?.text).toBe(deltas.join(''));
    expect(deltas.join('')).toMatch(/^\*\*Holiday/);
    const usage = events[events.length - 1]?.response?.usage;
    expect(usage && usage.input_tokens + usage.output_tokens).toBe(usage?.total_tokens);
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it('parallel-tools.sse: two function_call items with their call ids, names and complete JSON arguments', () => {
    const calls = translateChat('parallel-tools.sse')
      .filter((event) => event.type === 'response.output_item.done' && event.item?.type === 'function_call')
      .map((event) => event.item);
    expect(calls.map((call) => call?.name)).toEqual(['get_user_city', 'get_user_language']);
    for (const call of calls) {
      expect(call?.call_id).toMatch(/^call_/);
      expect(typeof JSON.parse(call?.arguments ?? '')).toBe('object');
      expect(call?.status).toBe('completed');
    }
  });

  it('deepseek-reasoning.sse: reasoning_content becomes a reasoning item with summary events, before the message', () => {
    const events = translateChat('deepseek-reasoning.sse');
    const reasoningDeltas = events.filter((event) => event.type === 'response.reasoning_summary_text.delta');
    expect(reasoningDeltas.length).toBeGreaterThan(0);
    const items = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(items.map((item) => item?.type)).toEqual(['reasoning', 'message']);
    expect(items[0]?.summary?.[0]?.text).toBe(reasoningDeltas.map((event) => event.delta).join(''));
  });
});
