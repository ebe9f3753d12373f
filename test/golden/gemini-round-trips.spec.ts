/**
 * Multi-turn fidelity with Gemini: what a client receives from a Gemini channel and sends back on its next
 * turn reaches Gemini again with the thought signatures Gemini issued, on the parts they belong to; a Gemini
 * client's conversation sent to another upstream says what it loses.
 */
import { WarningCollector } from '@gw/ir';
import {
  AnthropicStreamDecoder,
  AnthropicStreamEncoder,
  decodeAnthropicRequest,
  encodeAnthropicRequest,
} from '@gw/protocol-anthropic-messages';
import {
  GeminiStreamDecoder,
  GeminiStreamEncoder,
  SKIP_SIGNATURE_VALIDATION,
  decodeGeminiRequest,
  encodeGeminiRequest,
} from '@gw/protocol-gemini';
import { encodeChatRequest } from '@gw/protocol-openai-chat';
import { ResponsesStreamDecoder, encodeResponsesRequest } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { readAnthropicStream } from './anthropic-stream-checks';
import { relayStream } from './relay-stream';
import { goldenContext, parseClientSse, recordedEvents } from './translate-stream';

/** The recording's signatures, read without the codec. */
function recordedSignatures(name: string): string[] {
  return recordedEvents(`gemini/${name}`).flatMap((event) => {
    const data = JSON.parse(event.data) as { candidates?: { content?: { parts?: { thoughtSignature?: string }[] } }[] };
    return (data.candidates?.[0]?.content?.parts ?? []).flatMap((part) =>
      part.thoughtSignature === undefined ? [] : [part.thoughtSignature],
    );
  });
}

describe('Gemini channel → Gemini client → next turn → Gemini channel', () => {
  it('tool-call.sse: the call goes back with its signature and the response is named after it, no warning', () => {
    const ctx = goldenContext();
    const { out } = relayStream(
      recordedEvents('gemini/tool-call.sse'),
      new GeminiStreamDecoder(ctx),
      new GeminiStreamEncoder(ctx, { model: 'gemini-3-pro-preview' }),
    );
    // What @google/genai keeps as the model's turn: the parts of every chunk, in order.
    const modelParts = parseClientSse(out).flatMap(
      (event) =>
        (JSON.parse(event.data) as { candidates: { content: { parts: Record<string, unknown>[] } }[] }).candidates[0]?.content.parts ?? [],
    );
    const nextTurn = decodeGeminiRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'Weather in San Francisco?' }] },
          { role: 'model', parts: modelParts },
          { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] },
        ],
      },
      { model: 'gemini-3-pro-preview', stream: true },
    );
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(nextTurn, warnings);
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { name: 'weather', args: { location: 'San Francisco' } },
          thoughtSignature: recordedSignatures('tool-call.sse')[0],
        },
      ],
    });
    expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] });
    expect(warnings.list).toEqual([]);
  });
});

describe('Gemini channel → Anthropic client (Claude Code) → next turn → Gemini channel', () => {
  it("reasoning.sse: the answer's signature rides in the thinking signature and reaches Gemini again", () => {
    const ctx = goldenContext();
    const { out } = relayStream(
      recordedEvents('gemini/reasoning.sse'),
      new GeminiStreamDecoder(ctx),
      new AnthropicStreamEncoder(ctx, { model: 'claude-client' }),
    );
    const summary = readAnthropicStream(parseClientSse(out));
    expect(summary.signatures).toHaveLength(1);
    const nextTurn = decodeAnthropicRequest({
      model: 'claude-client',
      max_tokens: 1000,
      messages: [
        { role: 'user', content: 'How many r in strawberry?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: summary.text },
            { type: 'thinking', thinking: summary.thinking, signature: summary.signatures[0] },
          ],
        },
        { role: 'user', content: 'And in raspberry?' },
      ],
    });
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest({ ...nextTurn, model: 'gemini-3-pro-preview' }, warnings);
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: summary.text }, { text: '', thoughtSignature: recordedSignatures('reasoning.sse')[0] }],
    });
    expect(warnings.list).toEqual([]);
  });

  it('tool-call.sse: a call whose signature the client could not keep gets the stand-in', () => {
    const ctx = goldenContext();
    const { out } = relayStream(
      recordedEvents('gemini/tool-call.sse'),
      new GeminiStreamDecoder(ctx),
      new AnthropicStreamEncoder(ctx, { model: 'claude-client' }),
    );
    const summary = readAnthropicStream(parseClientSse(out));
    const nextTurn = decodeAnthropicRequest({
      model: 'claude-client',
      max_tokens: 1000,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: summary.toolCalls.map((call) => ({ type: 'tool_use', ...call })) },
        {
          role: 'user',
          content: summary.toolCalls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 18 °C' })),
        },
      ],
    });
    const { body } = encodeGeminiRequest(nextTurn, new WarningCollector());
    expect(body.contents[1]?.parts).toEqual([
      { functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: SKIP_SIGNATURE_VALIDATION },
    ]);
    expect(body.contents[2]?.parts).toEqual([{ functionResponse: { name: 'weather', response: { output: 'Sunny, 18 °C' } } }]);
  });
});

describe("a Gemini client's conversation → other upstreams", () => {
  const geminiConversation = decodeGeminiRequest(
    {
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-a' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'weather', response: { temp: 20 } } },
            { functionResponse: { name: 'weather', response: { temp: 25 } } },
          ],
        },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } },
          ],
        },
      ],
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    },
    { model: 'gemini-2.5-pro', stream: true },
  );

  it('Chat: calls and results paired by the derived ids, warnings for the signature and the safety settings', () => {
    const warnings = new WarningCollector();
    const { body } = encodeChatRequest(geminiConversation, warnings);
    const assistant = body.messages.find((message) => message.role === 'assistant');
    const tools = body.messages.filter((message) => message.role === 'tool');
    expect(assistant?.tool_calls?.map((call) => [call.id, call.function.arguments])).toEqual([
      ['gemini_call_0_weather', '{"city":"Paris"}'],
      ['gemini_call_1_weather', '{"city":"Rome"}'],
    ]);
    expect(tools.map((message) => [message.tool_call_id, message.content])).toEqual([
      ['gemini_call_0_weather', '{"temp":20}'],
      ['gemini_call_1_weather', '{"temp":25}'],
    ]);
    expect(body.tools?.[0]?.function.parameters).toEqual({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] });
    expect(warnings.list.map((warning) => warning.message)).toEqual([
      "gemini 'safetySettings' cannot be sent to a Chat Completions upstream",
      "gemini 'thoughtSignature' cannot be sent to a Chat Completions upstream",
    ]);
  });

  it('Anthropic: tool_use and tool_result blocks with the derived ids', () => {
    const warnings = new WarningCollector();
    const { body } = encodeAnthropicRequest(geminiConversation, warnings);
    expect(body.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(body.messages[1]?.content).toEqual([
      { type: 'tool_use', id: 'gemini_call_0_weather', name: 'weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'gemini_call_1_weather', name: 'weather', input: { city: 'Rome' } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'gemini_call_0_weather', content: '{"temp":20}' },
      { type: 'tool_result', tool_use_id: 'gemini_call_1_weather', content: '{"temp":25}' },
    ]);
  });
});

/** The model turn a Gemini client keeps from a stream: every chunk's parts, in order. */
function modelTurn(out: string): Record<string, unknown>[] {
  return parseClientSse(out).flatMap(
    (event: SseEvent) =>
      (JSON.parse(event.data) as { candidates: { content: { parts: Record<string, unknown>[] } }[] }).candidates[0]?.content.parts ?? [],
  );
}

describe("other providers' reasoning through a Gemini client and back to their own channel", () => {
  it('anthropic/thinking.sse: the thinking block goes back to Anthropic with its text and signature, no warning', () => {
    const ctx = goldenContext();
    const { ir, out } = relayStream(
      recordedEvents('anthropic/thinking.sse'),
      new AnthropicStreamDecoder(ctx),
      new GeminiStreamEncoder(ctx, { model: 'gemini-client' }),
    );
    const issued = ir.flatMap((event) => (event.type === 'reasoning_item' ? [event.providerData?.anthropic?.signature] : []));
    expect(issued).toHaveLength(1);
    const thinking = ir.map((event) => (event.type === 'reasoning_delta' ? event.text : '')).join('');
    const nextTurn = decodeGeminiRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'Think first.' }] },
          { role: 'model', parts: modelTurn(out) },
          { role: 'user', parts: [{ text: 'Go on.' }] },
        ],
      },
      { model: 'claude-sonnet-4-5', stream: true },
    );
    const warnings = new WarningCollector();
    const { body } = encodeAnthropicRequest(nextTurn, warnings);
    const assistant = body.messages[1]?.content;
    expect(Array.isArray(assistant) ? assistant[0] : undefined).toEqual({ type: 'thinking', thinking, signature: issued[0] });
    expect(warnings.list).toEqual([]);
  });

  it('openai-responses/reasoning-encrypted.sse: the encrypted_content goes back to a Responses channel', () => {
    const ctx = goldenContext();
    const { ir, out } = relayStream(
      recordedEvents('openai-responses/reasoning-encrypted.sse'),
      new ResponsesStreamDecoder(ctx),
      new GeminiStreamEncoder(ctx, { model: 'gemini-client' }),
    );
    const issued = ir.flatMap((event) =>
      event.type === 'reasoning_item' ? [event.providerData?.['openai-responses']?.encryptedContent] : [],
    );
    expect(issued[0]).toMatch(/^gAAAA/);
    const parts = modelTurn(out);
    const calls = parts.flatMap((part) => (part.functionCall === undefined ? [] : [part.functionCall as { name: string }]));
    const nextTurn = decodeGeminiRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'Compute.' }] },
          { role: 'model', parts },
          { role: 'user', parts: calls.map((call) => ({ functionResponse: { name: call.name, response: { output: '19' } } })) },
        ],
      },
      { model: 'gpt-5', stream: true },
    );
    const warnings = new WarningCollector();
    const { body } = encodeResponsesRequest(nextTurn, warnings);
    expect(body.input.find((item) => item.type === 'reasoning')).toMatchObject({ type: 'reasoning', encrypted_content: issued[0] });
    expect(warnings.list).toEqual([]);
  });
});
