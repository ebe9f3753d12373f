/**
 * A Claude Code or Anthropic SDK client served by an OpenAI channel: every recorded Chat Completions and
 * Responses answer → IR (pinned in expected/openai-*) → the Anthropic stream and message. The Anthropic
 * output must be well-formed and closed and say what the IR says: text, reasoning, tool calls, stop reason, usage.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WarningCollector, type IrFinishReason, type IrResponse, type IrStreamEvent, type IrUsage } from '@gw/ir';
import {
  AnthropicStreamEncoder,
  decodeAnthropicRequest,
  encodeAnthropicResponse,
  providerDataFromSignature,
} from '@gw/protocol-anthropic-messages';
import { ChatStreamDecoder, decodeChatResponse } from '@gw/protocol-openai-chat';
import { ResponsesStreamDecoder, decodeResponsesResponse, encodeResponsesRequest } from '@gw/protocol-openai-responses';
import { fixturesRoot } from '../support/recordings';
import { readAnthropicStream } from './anthropic-stream-checks';
import { expectPinned, relayStream, type RelayDecoder } from './relay-stream';
import { goldenContext, parseClientSse, recordedEvents, recordingNames } from './translate-stream';

const STOP_REASON: Record<IrFinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
  error: 'end_turn',
};

/** What the IR events say, read without the Anthropic encoder. */
function irFacts(events: IrStreamEvent[]): {
  text: string;
  thinking: string;
  calls: { id: string; name: string; input: unknown }[];
  finish?: IrFinishReason;
  usage?: IrUsage;
} {
  const calls = new Map<number, { id: string; name: string; json: string }>();
  let text = '';
  let thinking = '';
  let finish: IrFinishReason | undefined;
  let usage: IrUsage | undefined;
  for (const event of events) {
    if (event.type === 'text_delta' || event.type === 'refusal_delta') text += event.text;
    if (event.type === 'reasoning_delta') thinking += event.text;
    if (event.type === 'reasoning_item') thinking += event.summary.join('\n\n');
    if (event.type === 'tool_call_start') calls.set(event.index, { id: event.callId, name: event.name, json: '' });
    if (event.type === 'tool_call_delta') {
      const call = calls.get(event.index);
      if (call !== undefined) call.json += event.argumentsDelta;
    }
    if (event.type === 'finish') finish = event.reason;
    if (event.type === 'usage') usage = event.usage;
  }
  const parsedCalls = [...calls.values()].map((call) => ({
    id: call.id,
    name: call.name,
    input: JSON.parse(call.json === '' ? '{}' : call.json),
  }));
  return { text, thinking, calls: parsedCalls, ...(finish === undefined ? {} : { finish }), ...(usage === undefined ? {} : { usage }) };
}

function decoderFor(folder: string, ctx: ReturnType<typeof goldenContext>): RelayDecoder {
  return folder === 'openai-responses' ? new ResponsesStreamDecoder(ctx) : new ChatStreamDecoder(ctx);
}

const cases = ['openai-chat', 'openai-responses'].flatMap((folder) => recordingNames(folder).map((name) => [folder, name] as const));

describe('recorded OpenAI streams → IR (pinned) → Anthropic stream', () => {
  it.each(cases)('%s/%s', (folder, name) => {
    const ctx = goldenContext();
    const { ir, out } = relayStream(
      recordedEvents(`${folder}/${name}`),
      decoderFor(folder, ctx),
      new AnthropicStreamEncoder(ctx, { model: 'claude-client' }),
    );
    expectPinned(`${folder}/${name.replace('.sse', '')}.ir`, ir);
    const summary = readAnthropicStream(parseClientSse(out));
    const facts = irFacts(ir);
    if (name === 'error.sse') {
      expect(summary.error?.message).toMatch(/quota|exceeded|error/i);
      return;
    }
    expect(summary.model).toBe('claude-client');
    expect(summary.text).toBe(facts.text);
    expect(summary.thinking).toBe(facts.thinking);
    // Another issuer's reasoning state rides in the signature envelope, and decodes back to the same provider data.
    const states = ir.flatMap((event) => (event.type === 'reasoning_item' && event.providerData !== undefined ? [event.providerData] : []));
    expect(summary.signatures.map((signature) => providerDataFromSignature(signature))).toEqual(states);
    expect(summary.toolCalls).toEqual(facts.calls);
    expect(summary.stopReason).toBe(STOP_REASON[facts.finish ?? 'error']);
    const usage = facts.usage;
    const cached = (usage?.cachedInputTokens ?? 0) + (usage?.cacheWriteInputTokens ?? 0);
    expect(summary.usage).toEqual({
      input_tokens: (usage?.inputTokens ?? 0) - cached,
      cache_read_input_tokens: usage?.cachedInputTokens ?? 0,
      cache_creation_input_tokens: usage?.cacheWriteInputTokens ?? 0,
      output_tokens: usage?.outputTokens ?? 0,
    });
  });

  it('stop.sse (Chat): text from the recording, end_turn, usage with the prompt in input_tokens', () => {
    const ctx = goldenContext();
    const { out } = relayStream(
      recordedEvents('openai-chat/stop.sse'),
      decoderFor('openai-chat', ctx),
      new AnthropicStreamEncoder(ctx, { model: 'm' }),
    );
    const summary = readAnthropicStream(parseClientSse(out));
    expect(summary.text.length).toBeGreaterThan(0);
    expect(summary.stopReason).toBe('end_turn');
    expect(summary.usage?.input_tokens).toBeGreaterThan(0);
  });
});

const wholeAnswers = ['openai-chat', 'openai-responses'].flatMap((folder) =>
  readdirSync(join(fixturesRoot(), 'upstream', folder))
    .filter((name) => name.endsWith('.json'))
    .map((name) => [folder, name] as const),
);

describe('recorded non-streamed OpenAI answers → IR (pinned) → Anthropic message', () => {
  it.each(wholeAnswers)('%s/%s', (folder, name) => {
    const ctx = goldenContext();
    const body: unknown = JSON.parse(readFileSync(join(fixturesRoot(), 'upstream', folder, name), 'utf8'));
    const ir: IrResponse = folder === 'openai-chat' ? decodeChatResponse(body) : decodeResponsesResponse(body);
    expectPinned(`${folder}/${name.replace('.json', '')}-json.ir`, ir);
    const message = encodeAnthropicResponse(ir, ctx, { model: 'claude-client' });
    expect(message.model).toBe('claude-client');
    expect(message.id).toMatch(/^msg_/);
    const text = ir.output
      .flatMap((item) => (item.kind === 'message' ? item.content : []))
      .map((part) => ('text' in part ? part.text : ''))
      .join('');
    expect(
      message.content
        .filter((block) => block.type === 'text')
        .map((block) => ('text' in block ? block.text : ''))
        .join(''),
    ).toBe(text);
    const calls = ir.output.flatMap((item) =>
      item.kind === 'tool_call'
        ? [{ type: 'tool_use', id: item.callId, name: item.name, input: JSON.parse(item.arguments) as unknown }]
        : [],
    );
    expect(message.content.filter((block) => block.type === 'tool_use')).toEqual(calls);
    expect(message.stop_reason).toBe(STOP_REASON[ir.finishReason]);
    expect(message.usage.output_tokens).toBe(ir.usage?.outputTokens);
  });
});

describe('Responses reasoning through an Anthropic client and back to a Responses channel', () => {
  it('reasoning-encrypted.sse: the encrypted_content the client never saw is replayed as OpenAI issued it', () => {
    const ctx = goldenContext();
    const { ir, out } = relayStream(
      recordedEvents('openai-responses/reasoning-encrypted.sse'),
      new ResponsesStreamDecoder(ctx),
      new AnthropicStreamEncoder(ctx, { model: 'm' }),
    );
    const summary = readAnthropicStream(parseClientSse(out));
    const issued = ir.flatMap((event) =>
      event.type === 'reasoning_item' ? [event.providerData?.['openai-responses']?.encryptedContent] : [],
    );
    expect(issued).toHaveLength(1);
    expect(issued[0]).toMatch(/^gAAAA/);
    // What Claude Code sends on its next turn: the assistant's blocks as it received them, then a tool result.
    const assistant = [
      { type: 'thinking', thinking: summary.thinking, signature: summary.signatures[0] },
      ...summary.toolCalls.map((call) => ({ type: 'tool_use', ...call })),
    ];
    const nextTurn = decodeAnthropicRequest({
      model: 'm',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'Compute.' },
        { role: 'assistant', content: assistant },
        { role: 'user', content: summary.toolCalls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: '19' })) },
      ],
    });
    const warnings = new WarningCollector();
    const { body } = encodeResponsesRequest(nextTurn, warnings);
    expect(body.input.find((item) => item.type === 'reasoning')).toMatchObject({ type: 'reasoning', encrypted_content: issued[0] });
    expect(warnings.list).toEqual([]);
  });
});
