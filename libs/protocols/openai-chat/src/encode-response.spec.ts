import { sequentialCodecContext, type IrResponse } from '@gw/ir';
import { decodeChatResponse } from './decode-response';
import { encodeChatResponse } from './encode-response';
import { readChatFixture } from './fixtures.test-helper';

describe('encodeChatResponse', () => {
  it('writes reasoning as reasoning_content, flattened tool calls and usage details', () => {
    const ir: IrResponse = {
      id: 'resp_1',
      model: 'gpt-5',
      created: 1_700_000_000,
      output: [
        { kind: 'reasoning', summary: ['First.', 'Second.'], providerData: { 'openai-responses': { encryptedContent: 'opaque' } } },
        { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }] },
        { kind: 'tool_call', callId: 'call_9', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{"a":1}' },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15, cachedInputTokens: 4, reasoningTokens: 2 },
    };
    expect(encodeChatResponse(ir, sequentialCodecContext(), { model: 'client-model' })).toEqual({
      // Regression guard: a Responses upstream's id and model name reached Chat clients.
      id: 'chatcmpl_1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'client-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            refusal: null,
            reasoning_content: 'First.\n\nSecond.',
            tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{"a":1}' } }],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
  });

  it('sends null content beside tool calls or a refusal, "" for an empty answer, and stop for an error', () => {
    const base = { id: 'r', model: 'm', created: 1 };
    const ctx = sequentialCodecContext();
    const options = { model: 'm' };
    const toolOnly = encodeChatResponse(
      {
        ...base,
        output: [{ kind: 'tool_call', callId: 'c', name: 'f', arguments: '{}' }],
        finishReason: 'tool_calls',
      },
      ctx,
      options,
    );
    expect(toolOnly.choices[0]?.message.content).toBeNull();
    const refusal = encodeChatResponse(
      {
        ...base,
        output: [{ kind: 'message', role: 'assistant', content: [{ type: 'refusal', text: 'No.' }] }],
        finishReason: 'error',
      },
      ctx,
      options,
    );
    expect(refusal.choices[0]?.message).toEqual({ role: 'assistant', content: null, refusal: 'No.' });
    expect(refusal.choices[0]?.finish_reason).toBe('stop');
    const empty = encodeChatResponse({ ...base, output: [], finishReason: 'length' }, ctx, options);
    expect(empty.choices[0]?.message.content).toBe('');
    expect(empty.choices[0]?.finish_reason).toBe('length');
    expect(empty.usage).toBeUndefined();
  });

  it("keeps a Chat upstream's id, mints chatcmpl for another protocol's, and the gateway's clock when the upstream gave no time", () => {
    const ctx = sequentialCodecContext(1_800_000_000);
    const answer = (id: string, created: number) =>
      encodeChatResponse({ id, model: 'upstream', created, output: [], finishReason: 'stop' }, ctx, { model: 'asked' });
    expect(answer('chatcmpl-abc', 5)).toMatchObject({ id: 'chatcmpl-abc', created: 5, model: 'asked' });
    expect(answer('msg_01', 0)).toMatchObject({ id: 'chatcmpl_1', created: 1_800_000_000 });
    expect(answer('resp_9', 0).id).toBe('chatcmpl_2');
  });

  it('round-trips the recorded DeepSeek reasoning body', () => {
    const recorded = JSON.parse(readChatFixture('deepseek-reasoning.json')) as {
      choices: [{ message: { content: string; reasoning_content: string } }];
    };
    const encoded = encodeChatResponse(decodeChatResponse(recorded), sequentialCodecContext(), { model: 'm' });
    expect(encoded.id).toBe('a032c5d3-f5c9-43df-84f7-5a8ea4944852');
    expect(encoded.choices[0]?.message.content).toBe(recorded.choices[0].message.content);
    expect(encoded.choices[0]?.message.reasoning_content).toBe(recorded.choices[0].message.reasoning_content);
    expect(encoded.usage).toEqual({
      prompt_tokens: 16,
      completion_tokens: 645,
      total_tokens: 661,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 450 },
    });
  });
});
