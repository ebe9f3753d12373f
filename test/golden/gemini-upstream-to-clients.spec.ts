/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- recorded wire JSON is read loosely, the way a client reads it */
/**
 * Every recorded Gemini answer → IR (pinned in expected/gemini/*.json) → each client protocol: Gemini itself,
 * Chat Completions, Responses and Anthropic Messages. What each client receives is checked against facts read
 * from the recording without the codec: text, thoughts, signatures, function calls, finish reason, usage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnthropicStreamEncoder, encodeAnthropicResponse } from '@gw/protocol-anthropic-messages';
import { GeminiStreamDecoder, GeminiStreamEncoder, decodeGeminiResponse, encodeGeminiResponse } from '@gw/protocol-gemini';
import { ChatStreamEncoder, encodeChatResponse } from '@gw/protocol-openai-chat';
import { ResponsesStreamEncoder, encodeResponsesResponse } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { fixturesRoot } from '../support/recordings';
import { readAnthropicStream } from './anthropic-stream-checks';
import { readGeminiStream } from './gemini-stream-checks';
import { expectPinned, relayStream, type RelayEncoder } from './relay-stream';
import { goldenContext, parseClientSse, recordedEvents, recordingNames } from './translate-stream';
import { expectOpenAiClientFailure } from './openai-client-failure';

interface RecordingFacts {
  text: string;
  thoughts: string;
  signatures: string[];
  calls: { name: string; args: Record<string, unknown> }[];
  finishReason?: string;
  usage: Record<string, number>;
}

/** The recording read naively, chunk by chunk, without the codec (streamed arguments: `$.name` string pieces appended). */
function recordingFacts(events: SseEvent[]): RecordingFacts {
  const facts: RecordingFacts = { text: '', thoughts: '', signatures: [], calls: [], usage: {} };
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, any>;
    const candidate = data.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (typeof part.thoughtSignature === 'string') facts.signatures.push(part.thoughtSignature);
      const call = part.functionCall;
      if (call !== undefined) {
        if (call.name !== undefined) facts.calls.push({ name: call.name, args: { ...(call.args ?? {}) } });
        const args = facts.calls[facts.calls.length - 1]?.args ?? {};
        for (const piece of call.partialArgs ?? []) {
          const key = String(piece.jsonPath).replace('$.', '');
          args[key] = `${typeof args[key] === 'string' ? args[key] : ''}${piece.stringValue ?? ''}`;
        }
      } else if (part.thought === true) facts.thoughts += part.text ?? '';
      else facts.text += part.text ?? '';
    }
    if (candidate?.finishReason !== undefined) facts.finishReason = candidate.finishReason;
    if (data.usageMetadata?.promptTokenCount !== undefined) facts.usage = data.usageMetadata;
  }
  return facts;
}

const outputTokens = (usage: Record<string, number>): number => (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0);
const CHAT_FINISH = (facts: RecordingFacts): string => (facts.calls.length > 0 ? 'tool_calls' : 'stop');

function relay(name: string, encoder: (ctx: ReturnType<typeof goldenContext>) => RelayEncoder): ReturnType<typeof relayStream> {
  const ctx = goldenContext();
  return relayStream(recordedEvents(`gemini/${name}`), new GeminiStreamDecoder(ctx), encoder(ctx));
}

const streams = recordingNames('gemini');

describe('recorded Gemini streams → IR (pinned)', () => {
  it.each(streams)('%s', (name) => {
    const { ir } = relay(name, (ctx) => new GeminiStreamEncoder(ctx, { model: 'gemini-client' }));
    expectPinned(`gemini/${name.replace('.sse', '')}.ir`, ir);
  });
});

describe('recorded Gemini streams → Gemini client (closed, faithful)', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`gemini/${name}`));
    const { out } = relay(name, (ctx) => new GeminiStreamEncoder(ctx, { model: 'gemini-client' }));
    const summary = readGeminiStream(parseClientSse(out));
    expect(summary.text).toBe(facts.text);
    expect(summary.thoughts).toBe(facts.thoughts);
    expect(summary.signatures).toEqual(facts.signatures);
    expect(summary.calls).toEqual(facts.calls);
    expect(summary.finishReason).toBe(facts.finishReason);
    expect(summary.usage).toEqual({
      promptTokenCount: facts.usage.promptTokenCount,
      candidatesTokenCount: facts.usage.candidatesTokenCount,
      thoughtsTokenCount: facts.usage.thoughtsTokenCount,
      totalTokenCount: facts.usage.totalTokenCount,
    });
    expect(new Set(summary.modelVersions)).toEqual(new Set(['gemini-client']));
    expect(new Set(summary.responseIds).size).toBe(1);
  });
});

describe('recorded Gemini streams → Chat Completions client', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`gemini/${name}`));
    const { out } = relay(name, (ctx) => new ChatStreamEncoder(ctx, { includeUsage: true, model: 'gpt-client' }));
    const events = parseClientSse(out);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Record<string, any>);
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice: Record<string, any>) => choice.delta));
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(facts.text);
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
      const known = calls.get(call.index);
      if (known === undefined) calls.set(call.index, { id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' });
      else known.arguments += call.function.arguments ?? '';
    }
    expect([...calls.values()].map((call) => ({ name: call.name, args: JSON.parse(call.arguments) }))).toEqual(facts.calls);
    // Gemini gives no call ids: each call gets its own.
    expect(new Set([...calls.values()].map((call) => call.id)).size).toBe(facts.calls.length);
    const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice: Record<string, any>) => choice.finish_reason)).filter(Boolean);
    expect(finishes).toEqual([CHAT_FINISH(facts)]);
    const usage = chunks[chunks.length - 1]?.usage;
    expect(usage).toMatchObject({
      prompt_tokens: facts.usage.promptTokenCount,
      completion_tokens: outputTokens(facts.usage),
      total_tokens: facts.usage.totalTokenCount,
      completion_tokens_details: { reasoning_tokens: facts.usage.thoughtsTokenCount },
    });
    expect(chunks.every((chunk) => chunk.model === 'gpt-client')).toBe(true);
    // Gemini's response id is no other protocol's: kept, as Chat keeps any provider's own id (it matches its logs).
    expect(new Set(chunks.map((chunk) => chunk.id as string))).toEqual(
      new Set([JSON.parse(recordedEvents(`gemini/${name}`)[0]?.data ?? '{}').responseId]),
    );
  });
});

describe('recorded Gemini streams → Responses client (the Codex path)', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`gemini/${name}`));
    const { out } = relay(name, (ctx) => new ResponsesStreamEncoder(ctx, { model: 'gpt-5' }));
    const events = parseClientSse(out).map((event) => JSON.parse(event.data) as Record<string, any>);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types[types.length - 1]).toBe('response.completed');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => event.item.id);
    const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(done.map((item) => item.id).sort()).toEqual([...added].sort());
    const texts = done.filter((item) => item.type === 'message').flatMap((item) => item.content);
    expect(texts.map((part: Record<string, any>) => part.text ?? '').join('')).toBe(facts.text);
    // A Gemini signature has no place in a Responses item: no empty reasoning item stands in for it.
    expect(done.filter((item) => item.type === 'reasoning')).toEqual([]);
    const calls = done.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => ({ name: call.name, args: JSON.parse(call.arguments) }))).toEqual(facts.calls);
    const response = events[events.length - 1]?.response;
    expect(response.output.map((item: Record<string, any>) => item.id)).toEqual(done.map((item) => item.id));
    expect(response.usage).toMatchObject({
      input_tokens: facts.usage.promptTokenCount,
      output_tokens: outputTokens(facts.usage),
      total_tokens: facts.usage.totalTokenCount,
      output_tokens_details: { reasoning_tokens: facts.usage.thoughtsTokenCount },
    });
  });
});

describe('recorded Gemini streams → Anthropic client (the Claude Code path)', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`gemini/${name}`));
    const { out } = relay(name, (ctx) => new AnthropicStreamEncoder(ctx, { model: 'claude-client' }));
    const summary = readAnthropicStream(parseClientSse(out));
    expect(summary.text).toBe(facts.text);
    expect(summary.toolCalls.map((call) => ({ name: call.name, args: call.input }))).toEqual(facts.calls);
    expect(summary.stopReason).toBe(facts.calls.length > 0 ? 'tool_use' : 'end_turn');
    expect(summary.usage).toEqual({
      input_tokens: facts.usage.promptTokenCount,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      output_tokens: outputTokens(facts.usage),
    });
  });
});

describe('Gemini stream failures reach every client as its own in-stream error', () => {
  const encoders: [string, (ctx: ReturnType<typeof goldenContext>) => RelayEncoder][] = [
    ['gemini', (ctx) => new GeminiStreamEncoder(ctx, { model: 'm' })],
    ['anthropic', (ctx) => new AnthropicStreamEncoder(ctx, { model: 'm' })],
    ['chat', (ctx) => new ChatStreamEncoder(ctx, { includeUsage: true, model: 'm' })],
    ['responses', (ctx) => new ResponsesStreamEncoder(ctx, { model: 'm' })],
  ];
  const errorChunk = {
    data: JSON.stringify({
      error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' },
    }),
  };

  it.each(encoders)('an error chunk after text → %s', (client, encoder) => {
    const ctx = goldenContext();
    const events = recordedEvents('gemini/text.sse');
    const { out } = relayStream([...events.slice(0, 1), errorChunk], new GeminiStreamDecoder(ctx), encoder(ctx));
    expect(out).toContain('Resource has been exhausted');
    expectFailure(client, out);
  });

  it.each(encoders)('a stream cut before its finishReason → %s gets an error, never a completion', (client, encoder) => {
    const ctx = goldenContext();
    const events = recordedEvents('gemini/tool-call-arguments.sse');
    expectFailure(client, relayStream(events.slice(0, -1), new GeminiStreamDecoder(ctx), encoder(ctx)).out);
  });

  function expectFailure(client: string, out: string): void {
    const events = parseClientSse(out);
    if (client === 'gemini') {
      const summary = readGeminiStream(events);
      expect(summary.error?.status).toMatch(/RESOURCE_EXHAUSTED|UNAVAILABLE/);
      expect(summary.finishReason).toBeUndefined();
    } else if (client === 'anthropic') {
      const summary = readAnthropicStream(events);
      expect(summary.error).toBeDefined();
      expect(summary.stopReason).toBeUndefined();
    } else {
      expectOpenAiClientFailure(client as 'chat' | 'responses', out);
    }
  }
});

describe('recorded non-streamed Gemini answer (text.json) → IR (pinned) → each client', () => {
  const body = JSON.parse(readFileSync(join(fixturesRoot(), 'upstream', 'gemini', 'text.json'), 'utf8')) as Record<string, any>;
  const parts = body.candidates[0].content.parts as Record<string, any>[];
  const recordedText = parts.map((part) => part.text).join('');
  const usage = body.usageMetadata as Record<string, number>;

  it('decodes to the pinned IR', () => {
    expectPinned('gemini/text-json.ir', decodeGeminiResponse(body, goldenContext()));
  });

  it('Gemini client: the same parts (signature on its part), finish reason and usage, the client model name', () => {
    const ctx = goldenContext();
    const answer = encodeGeminiResponse(decodeGeminiResponse(body, ctx), ctx, { model: 'gemini-client' });
    expect(answer).toEqual({
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: usage.promptTokenCount,
        candidatesTokenCount: usage.candidatesTokenCount,
        thoughtsTokenCount: usage.thoughtsTokenCount,
        totalTokenCount: usage.totalTokenCount,
      },
      modelVersion: 'gemini-client',
      responseId: body.responseId,
    });
  });

  it("Chat client: text, stop, usage with thoughts in the completion, Gemini's response id", () => {
    const ctx = goldenContext();
    const answer = encodeChatResponse(decodeGeminiResponse(body, ctx), ctx, { model: 'gpt-client' });
    expect(answer.choices[0]?.message.content).toBe(recordedText);
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.id).toBe(body.responseId);
    expect(answer.model).toBe('gpt-client');
    expect(answer.usage).toMatchObject({
      prompt_tokens: usage.promptTokenCount,
      completion_tokens: outputTokens(usage),
      total_tokens: usage.totalTokenCount,
    });
  });

  it('Responses client: one completed message with the text, a resp_ id', () => {
    const ctx = goldenContext();
    const answer = encodeResponsesResponse(decodeGeminiResponse(body, ctx), ctx, { model: 'gpt-5' });
    expect(answer.id).toMatch(/^resp_/);
    expect(answer.status).toBe('completed');
    expect(answer.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: recordedText }] }]);
    expect(answer.usage?.output_tokens).toBe(outputTokens(usage));
  });

  it('Anthropic client: the text, end_turn, usage', () => {
    const ctx = goldenContext();
    const answer = encodeAnthropicResponse(decodeGeminiResponse(body, ctx), ctx, { model: 'claude-client' });
    expect(answer.content).toEqual([{ type: 'text', text: recordedText }]);
    expect(answer.stop_reason).toBe('end_turn');
    expect(answer.usage).toMatchObject({ input_tokens: usage.promptTokenCount, output_tokens: outputTokens(usage) });
  });
});
