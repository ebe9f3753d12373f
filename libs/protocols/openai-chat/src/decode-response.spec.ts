import { GatewayError } from '@gw/ir';
import type { IrResponse, ToolNameMap } from '@gw/ir';
import { decodeChatResponse } from './decode-response';
import { chatFixtureNames, readChatFixture } from './fixtures.test-helper';

/** What each recorded body must decode to; every `.json` file in upstream/openai-chat needs an entry. */
const expectedByFixture: Record<string, (response: IrResponse) => void> = {
  'deepseek-reasoning.json': (response) => {
    expect(response).toMatchObject({ id: 'a032c5d3-f5c9-43df-84f7-5a8ea4944852', model: 'deepseek-reasoner', created: 1755619819 });
    expect(response.output.map((item) => item.kind)).toEqual(['reasoning', 'message']);
    const [reasoning, message] = response.output;
    expect(reasoning?.kind === 'reasoning' && reasoning.text?.startsWith('We are going to output numbers from 1 to 20')).toBe(true);
    expect(reasoning?.kind === 'reasoning' && reasoning.text?.length).toBe(1629);
    expect(message?.kind === 'message' && message.content[0]?.type === 'text' && message.content[0].text.length).toBe(569);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({ inputTokens: 16, outputTokens: 645, totalTokens: 661, cachedInputTokens: 0, reasoningTokens: 450 });
  },
  'text.json': (response) => {
    expect(response).toMatchObject({ id: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU', model: 'gpt-4.1-nano-2025-04-14', created: 1770933883 });
    expect(response.output).toHaveLength(1);
    const message = response.output[0];
    if (message?.kind !== 'message') throw new Error('expected a message');
    expect(message.role).toBe('assistant');
    // `refusal: null` and `annotations: []` are not content.
    expect(message.content).toHaveLength(1);
    const text = message.content[0]?.type === 'text' ? message.content[0].text : '';
    expect(text.startsWith('**Holiday Name:** Galaxy Day')).toBe(true);
    expect(text.endsWith('inspiring individuals to look up and dream beyond our world.')).toBe(true);
    expect(response.finishReason).toBe('stop');
    expect(response.usage).toEqual({ inputTokens: 16, outputTokens: 363, totalTokens: 379, cachedInputTokens: 0, reasoningTokens: 0 });
  },
  'tool.json': (response) => {
    expect(response).toMatchObject({ id: 'chatcmpl-C2TSsKt43DVGNEWLsHuOSvgdUMhKW', model: 'gpt-4o-2024-11-20', created: 1754705954 });
    expect(response.output).toEqual([
      { kind: 'tool_call', callId: 'call_ZAluvDS2Cy3QOnYmftmVCAWR', name: 'get_weather', arguments: '{"location":"New York City"}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 53, outputTokens: 17, totalTokens: 70, cachedInputTokens: 0, reasoningTokens: 0 });
  },
};

describe('decodeChatResponse on recorded upstream bodies', () => {
  it('has an expectation for every recorded openai-chat body', () => {
    expect(Object.keys(expectedByFixture).sort()).toEqual(chatFixtureNames('.json'));
  });

  it.each(chatFixtureNames('.json'))('decodes %s', (name) => {
    const check = expectedByFixture[name];
    if (check === undefined) throw new Error(`no expectation for ${name}`);
    check(decodeChatResponse(JSON.parse(readChatFixture(name))));
  });
});

describe('decodeChatResponse', () => {
  it('maps flattened tool names back and keeps text, refusal and the content_filter reason', () => {
    const toolNames: ToolNameMap = new Map([['ns__run', { name: 'run', namespace: 'ns' }]]);
    const response = decodeChatResponse(
      {
        id: 'c1',
        model: 'm',
        created: 7,
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Running it.',
              refusal: 'partly refused',
              reasoning: 'why',
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ns__run', arguments: { cmd: 'ls' } } }],
            },
            finish_reason: 'content_filter',
          },
        ],
        usage: { prompt_tokens: 4, completion_tokens: 2, prompt_cache_hit_tokens: 3 },
      },
      toolNames,
    );
    expect(response).toEqual({
      id: 'c1',
      model: 'm',
      created: 7,
      output: [
        { kind: 'reasoning', text: 'why' },
        {
          kind: 'message',
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running it.' },
            { type: 'refusal', text: 'partly refused' },
          ],
        },
        { kind: 'tool_call', callId: 'call_1', name: 'run', namespace: 'ns', arguments: '{"cmd":"ls"}' },
      ],
      finishReason: 'content_filter',
      usage: { inputTokens: 4, outputTokens: 2, totalTokens: 6, cachedInputTokens: 3 },
    });
  });

  it('reads an unknown finish_reason as stop and an empty answer as an empty message', () => {
    const response = decodeChatResponse({ id: 'c2', choices: [{ message: { content: '' }, finish_reason: 'eos' }] });
    expect(response.finishReason).toBe('stop');
    expect(response.output).toEqual([{ kind: 'message', role: 'assistant', content: [] }]);
    expect(response.usage).toBeUndefined();
  });

  it('throws upstream_error for an error body returned with HTTP 200', () => {
    expect(() => decodeChatResponse({ error: { message: 'model overloaded' } })).toThrow(
      new GatewayError('upstream_error', 'Upstream returned an error: model overloaded'),
    );
    expect(() => decodeChatResponse('nope')).toThrow(GatewayError);
  });
});
