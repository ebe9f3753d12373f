/**
 * A Chat client served by a Responses channel: every recorded Responses stream translated to Chat chunks
 * must end with a finish reason and `[DONE]`, and carry the recording's text, tool calls and usage.
 */
import { ChatStreamEncoder } from '@gw/protocol-openai-chat';
import { ResponsesStreamDecoder } from '@gw/protocol-openai-responses';
import { goldenContext, parseClientSse, recordedEvents, translate } from './translate-stream';

interface ChatChunk {
  choices: {
    delta: { content?: string; tool_calls?: { index: number; id?: string; function: { name?: string; arguments?: string } }[] };
    finish_reason: string | null;
  }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

function translateResponses(name: string): { chunks: ChatChunk[]; done: boolean } {
  const ctx = goldenContext();
  const decoder = new ResponsesStreamDecoder(ctx);
  const out = translate(
    recordedEvents(`openai-responses/${name}`),
    decoder,
    new ChatStreamEncoder(ctx, { includeUsage: true, model: 'gpt-4o' }),
  );
  const events = parseClientSse(out);
  const done = events[events.length - 1]?.data === '[DONE]';
  return { chunks: events.filter((event) => event.data !== '[DONE]').map((event) => JSON.parse(event.data) as ChatChunk), done };
}

describe('recorded Responses streams → Chat Completions stream', () => {
  it('stop.sse: text, a stop finish, usage, [DONE]', () => {
    const { chunks, done } = translateResponses('stop.sse');
    expect(done).toBe(true);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);
    const usage = chunks[chunks.length - 1]?.usage;
    expect(usage && usage.prompt_tokens + usage.completion_tokens).toBe(usage?.total_tokens);
  });

  it('error.sse: the upstream failure surfaces as a GatewayError, not a silent end', () => {
    expect(() => translateResponses('error.sse')).toThrow(/quota|exceeded|error/i);
  });
});
