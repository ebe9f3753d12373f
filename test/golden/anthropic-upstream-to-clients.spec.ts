/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- recorded wire JSON is read loosely, the way a client reads it */
/**
 * Every recorded Anthropic answer → IR (pinned in expected/anthropic/*.json) → each client protocol: the
 * Anthropic stream itself, Chat Completions and Responses. What each client receives is checked against facts
 * read from the recording independently of the codecs: text, thinking, signature, tool calls, stop reason, usage.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AnthropicStreamDecoder,
  AnthropicStreamEncoder,
  decodeAnthropicResponse,
  encodeAnthropicResponse,
} from '@gw/protocol-anthropic-messages';
import { ChatStreamEncoder, encodeChatResponse } from '@gw/protocol-openai-chat';
import { ResponsesStreamEncoder, encodeResponsesResponse } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { fixturesRoot } from '../support/recordings';
import { readAnthropicStream } from './anthropic-stream-checks';
import { expectPinned, relayStream, type RelayEncoder } from './relay-stream';
import { goldenContext, parseClientSse, recordedEvents, recordingNames } from './translate-stream';
import { expectOpenAiClientFailure } from './openai-client-failure';

interface RecordingFacts {
  text: string;
  thinking: string;
  signature?: string;
  toolCalls: { id: string; name: string; input: unknown }[];
  stopReason?: string;
  /** Anthropic's own counts, latest value of each. */
  usage: Record<string, number>;
  refusal?: string;
}

/** The recording read naively, event by event, without the codec. */
function recordingFacts(events: SseEvent[]): RecordingFacts {
  const facts: RecordingFacts = { text: '', thinking: '', toolCalls: [], usage: {} };
  const json = new Map<number, string>();
  const calls = new Map<number, { id: string; name: string }>();
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, any>;
    if (data.type === 'message_start') Object.assign(facts.usage, data.message.usage);
    if (data.type === 'content_block_start' && data.content_block.type === 'tool_use') {
      calls.set(data.index, { id: data.content_block.id, name: data.content_block.name });
      json.set(data.index, '');
    }
    if (data.type === 'content_block_delta') {
      if (data.delta.type === 'text_delta') facts.text += data.delta.text;
      if (data.delta.type === 'thinking_delta') facts.thinking += data.delta.thinking;
      if (data.delta.type === 'signature_delta') facts.signature = data.delta.signature;
      if (data.delta.type === 'input_json_delta') json.set(data.index, (json.get(data.index) ?? '') + data.delta.partial_json);
    }
    if (data.type === 'message_delta') {
      facts.stopReason = data.delta.stop_reason;
      facts.refusal = data.delta.stop_details?.explanation;
      Object.assign(facts.usage, data.usage);
    }
  }
  for (const [index, call] of [...calls].sort(([left], [right]) => left - right)) {
    const text = json.get(index) ?? '';
    facts.toolCalls.push({ ...call, input: JSON.parse(text === '' ? '{}' : text) });
  }
  return facts;
}

/** The IR usage rule: input includes cache reads and writes. */
function irInputTokens(usage: Record<string, number>): number {
  return (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0);
}

const CHAT_FINISH: Record<string, string> = { end_turn: 'stop', tool_use: 'tool_calls', refusal: 'content_filter', max_tokens: 'length' };

function relay(name: string, encoder: (ctx: ReturnType<typeof goldenContext>) => RelayEncoder): ReturnType<typeof relayStream> {
  const ctx = goldenContext();
  return relayStream(recordedEvents(`anthropic/${name}`), new AnthropicStreamDecoder(ctx), encoder(ctx));
}

const streams = recordingNames('anthropic').filter((name) => name !== 'error.sse');

describe('recorded Anthropic streams → IR (pinned)', () => {
  it.each(recordingNames('anthropic'))('%s', (name) => {
    const { ir } = relay(name, (ctx) => new AnthropicStreamEncoder(ctx, { model: 'claude-client' }));
    expectPinned(`anthropic/${name.replace('.sse', '')}.ir`, ir);
  });
});

describe('recorded Anthropic streams → Anthropic client (closed, faithful)', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`anthropic/${name}`));
    const { out } = relay(name, (ctx) => new AnthropicStreamEncoder(ctx, { model: 'claude-client' }));
    const summary = readAnthropicStream(parseClientSse(out));
    expect(summary.model).toBe('claude-client');
    expect(summary.id).toMatch(/^msg_/);
    // A refusal's explanation reaches the client as text: it is all such an answer says.
    expect(summary.text).toBe(facts.text + (facts.stopReason === 'refusal' ? (facts.refusal ?? '') : ''));
    expect(summary.thinking).toBe(facts.thinking);
    expect(summary.signatures).toEqual(facts.signature === undefined ? [] : [facts.signature]);
    expect(summary.toolCalls).toEqual(facts.toolCalls);
    expect(summary.stopReason).toBe(facts.stopReason);
    expect(summary.usage).toEqual({
      input_tokens: facts.usage.input_tokens,
      cache_creation_input_tokens: facts.usage.cache_creation_input_tokens ?? 0,
      cache_read_input_tokens: facts.usage.cache_read_input_tokens ?? 0,
      output_tokens: facts.usage.output_tokens,
    });
  });
});

describe('recorded Anthropic streams → Chat Completions client', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`anthropic/${name}`));
    const { out } = relay(name, (ctx) => new ChatStreamEncoder(ctx, { includeUsage: true, model: 'gpt-client' }));
    const events = parseClientSse(out);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as Record<string, any>);
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice: Record<string, any>) => choice.delta));
    expect(deltas.map((delta) => delta.content ?? '').join('')).toBe(facts.text);
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe(facts.thinking);
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for (const call of deltas.flatMap((delta) => delta.tool_calls ?? [])) {
      const known = calls.get(call.index);
      if (known === undefined) calls.set(call.index, { id: call.id, name: call.function.name, arguments: call.function.arguments });
      else known.arguments += call.function.arguments ?? '';
    }
    expect([...calls.values()].map((call) => ({ id: call.id, name: call.name, input: JSON.parse(call.arguments) }))).toEqual(
      facts.toolCalls,
    );
    const finishes = chunks.flatMap((chunk) => chunk.choices.map((choice: Record<string, any>) => choice.finish_reason)).filter(Boolean);
    expect(finishes).toEqual([CHAT_FINISH[facts.stopReason ?? '']]);
    const usage = chunks[chunks.length - 1]?.usage;
    expect(usage).toMatchObject({ prompt_tokens: irInputTokens(facts.usage), completion_tokens: facts.usage.output_tokens });
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(chunks.every((chunk) => chunk.model === 'gpt-client')).toBe(true);
    // Regression guard: another protocol's message id reached Chat clients.
    const ids = new Set(chunks.map((chunk) => chunk.id as string));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^chatcmpl[-_]/);
  });
});

describe('recorded Anthropic streams → Responses client (the Codex path)', () => {
  it.each(streams)('%s', (name) => {
    const facts = recordingFacts(recordedEvents(`anthropic/${name}`));
    const { out } = relay(name, (ctx) => new ResponsesStreamEncoder(ctx, { model: 'gpt-5' }));
    const events = parseClientSse(out).map((event) => JSON.parse(event.data) as Record<string, any>);
    const types = events.map((event) => event.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    expect(types[types.length - 1]).toBe(facts.stopReason === 'refusal' ? 'response.incomplete' : 'response.completed');
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const added = events.filter((event) => event.type === 'response.output_item.added').map((event) => event.item.id);
    const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
    expect(done.map((item) => item.id).sort()).toEqual([...added].sort());
    const texts = done.filter((item) => item.type === 'message').flatMap((item) => item.content);
    expect(texts.map((part: Record<string, any>) => part.text ?? '').join('')).toBe(facts.text);
    const reasoning = done
      .filter((item) => item.type === 'reasoning')
      .flatMap((item) => item.summary.map((part: { text: string }) => part.text));
    expect(reasoning.join('')).toBe(facts.thinking);
    const calls = done.filter((item) => item.type === 'function_call');
    expect(calls.map((call) => ({ id: call.call_id, name: call.name, input: JSON.parse(call.arguments) }))).toEqual(facts.toolCalls);
    const response = events[events.length - 1]?.response;
    expect(response.id).toMatch(/^resp_/);
    expect(response.usage).toMatchObject({ input_tokens: irInputTokens(facts.usage), output_tokens: facts.usage.output_tokens });
  });
});

describe('Anthropic stream failures reach every client as its own in-stream error', () => {
  const encoders: [string, (ctx: ReturnType<typeof goldenContext>) => RelayEncoder][] = [
    ['anthropic', (ctx) => new AnthropicStreamEncoder(ctx, { model: 'm' })],
    ['chat', (ctx) => new ChatStreamEncoder(ctx, { includeUsage: true, model: 'm' })],
    ['responses', (ctx) => new ResponsesStreamEncoder(ctx, { model: 'm' })],
  ];

  it.each(encoders)("error.sse (a proxy's wrapped error event) → %s", (client, encoder) => {
    const { out } = relay('error.sse', encoder);
    expect(out).toContain('GPT-6');
    expectFailure(client, out);
  });

  it.each(encoders)('a stream cut before message_stop → %s gets an error, never a completion', (client, encoder) => {
    const ctx = goldenContext();
    const events = recordedEvents('anthropic/tool.sse');
    const cut = events.slice(
      0,
      events.findIndex((event) => event.event === 'message_delta'),
    );
    expectFailure(client, relayStream(cut, new AnthropicStreamDecoder(ctx), encoder(ctx)).out);
  });

  function expectFailure(client: string, out: string): void {
    const events = parseClientSse(out);
    if (client === 'anthropic') {
      const summary = readAnthropicStream(events);
      expect(summary.error?.type).toBe('api_error');
      expect(summary.stopReason).toBeUndefined();
    } else {
      expectOpenAiClientFailure(client as 'chat' | 'responses', out);
    }
  }
});

describe('recorded non-streamed Anthropic answer (text.json) → IR (pinned) → each client', () => {
  const body = JSON.parse(readFileSync(join(fixturesRoot(), 'upstream', 'anthropic', 'text.json'), 'utf8')) as Record<string, any>;
  const recordedText = (body.content as { type: string; text: string }[]).map((block) => block.text).join('');

  it('decodes to the pinned IR', () => {
    expectPinned('anthropic/text-json.ir', decodeAnthropicResponse(body, goldenContext()));
  });

  it('Anthropic client: the same content, stop reason and usage, the client model name', () => {
    const ctx = goldenContext();
    const answer = encodeAnthropicResponse(decodeAnthropicResponse(body, ctx), ctx, { model: 'claude-client' });
    expect(answer).toMatchObject({
      id: body.id,
      model: 'claude-client',
      content: [{ type: 'text', text: recordedText }],
      stop_reason: 'end_turn',
    });
    expect(answer.usage).toEqual({
      input_tokens: body.usage.input_tokens,
      cache_creation_input_tokens: body.usage.cache_creation_input_tokens,
      cache_read_input_tokens: body.usage.cache_read_input_tokens,
      output_tokens: body.usage.output_tokens,
    });
  });

  it('Chat client: text, stop, usage, a chatcmpl id, the client model name and a real creation time', () => {
    const ctx = goldenContext();
    const answer = encodeChatResponse(decodeAnthropicResponse(body, ctx), ctx, { model: 'gpt-client' });
    expect(answer.choices[0]?.message.content).toBe(recordedText);
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.created).toBe(ctx.now());
    expect(answer.id).toMatch(/^chatcmpl_/);
    expect(answer.model).toBe('gpt-client');
    expect(answer.usage).toMatchObject({ prompt_tokens: irInputTokens(body.usage), completion_tokens: body.usage.output_tokens });
  });

  it('Responses client: one completed message with the text, a resp_ id', () => {
    const ctx = goldenContext();
    const answer = encodeResponsesResponse(decodeAnthropicResponse(body, ctx), ctx, { model: 'gpt-5' });
    expect(answer.id).toMatch(/^resp_/);
    expect(answer.status).toBe('completed');
    expect(answer.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: recordedText }] }]);
    expect(answer.usage?.input_tokens).toBe(irInputTokens(body.usage));
  });
});
