import { GatewayError } from '@gw/ir';
import { decodeResponsesResponse } from './decode-response';
import { encryptedContentOf } from './provider-data';
import { readJsonFixture } from './fixture-files.spec-helper';

describe('decodeResponsesResponse', () => {
  it('stop.json: one assistant message, stop, usage', () => {
    const ir = decodeResponsesResponse(readJsonFixture('upstream/openai-responses/stop.json'));
    expect(ir).toMatchObject({
      id: 'resp_68daaab804b88197bb79413e057aa748001f79b13b9c9cbb',
      model: 'gpt-4o',
      created: 1759161016,
      finishReason: 'stop',
    });
    expect(ir.output).toHaveLength(1);
    const message = ir.output[0];
    expect(message).toMatchObject({ kind: 'message', id: 'msg_68daaab83ca881979d9202218c9f957a001f79b13b9c9cbb', role: 'assistant' });
    const text = message?.kind === 'message' && message.content[0]?.type === 'text' ? message.content[0].text : '';
    expect(text.startsWith('I currently do not have real-time access to weather data')).toBe(true);
    expect(ir.usage).toEqual({ inputTokens: 16, outputTokens: 63, totalTokens: 79, cachedInputTokens: 0, reasoningTokens: 0 });
  });

  it('reasoning-encrypted.json: reasoning with summary and encrypted content, then the answer', () => {
    const ir = decodeResponsesResponse(readJsonFixture('upstream/openai-responses/reasoning-encrypted.json'));
    expect(ir.output.map((item) => item.kind)).toEqual(['reasoning', 'message']);
    const reasoning = ir.output[0];
    if (reasoning?.kind !== 'reasoning') throw new Error('expected reasoning');
    expect(reasoning.id).toBe('rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e');
    expect(reasoning.summary?.[0]?.startsWith('**Reporting final result**')).toBe(true);
    expect(encryptedContentOf(reasoning)?.startsWith('gAAAAABpPMlcH0HHEv5_')).toBe(true);
    expect(ir.output[1]).toMatchObject({
      content: [{ type: 'text', text: '12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570' }],
    });
    expect(ir.finishReason).toBe('stop');
  });

  it('function calls finish with tool_calls, keep namespace, and skip provider-run items', () => {
    const ir = decodeResponsesResponse({
      id: 'resp_1',
      status: 'completed',
      output: [
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'wait_agent', namespace: 'multi_agent_v1', arguments: '{}' },
      ],
    });
    expect(ir.output).toEqual([
      { kind: 'tool_call', id: 'fc_1', callId: 'call_1', name: 'wait_agent', namespace: 'multi_agent_v1', arguments: '{}' },
    ]);
    expect(ir.finishReason).toBe('tool_calls');
    expect(ir.usage).toBeUndefined();
  });

  it('incomplete → length; failed → upstream_error with the provider message', () => {
    expect(
      decodeResponsesResponse({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }).finishReason,
    ).toBe('length');
    const failed = () => decodeResponsesResponse({ status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] });
    expect(failed).toThrow(GatewayError);
    expect(failed).toThrow('server_error: boom');
  });
});
