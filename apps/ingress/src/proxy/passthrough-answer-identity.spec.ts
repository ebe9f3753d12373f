import { openAiChatClientWire } from '@gw/protocol-openai-chat';
import { openAiResponsesClientWire } from '@gw/protocol-openai-responses';
import { upstreamServerOf } from '../trace/genai-provider';

const passthroughHooks = { 'openai-chat': openAiChatClientWire.passthrough, 'openai-responses': openAiResponsesClientWire.passthrough };

/** What pass-through relays read for spans: the upstream's response id, model and finish reasons. */
describe('pass-through answer identity', () => {
  it('reads a Chat finish reason from the bytes of the block that completes the stream', () => {
    const block = Buffer.from('data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n');
    expect(passthroughHooks['openai-chat'].createInspector().completesIn(block)).toBe(true);
    expect(passthroughHooks['openai-chat'].createInspector().finishReasonIn(block)).toBe('tool_calls');
    expect(passthroughHooks['openai-chat'].createInspector().finishReasonIn(Buffer.from('data: {"finish_reason": "length"}\n\n'))).toBe(
      'length',
    );
    expect(
      passthroughHooks['openai-chat'].createInspector().finishReasonIn(Buffer.from('data: {"finish_reason":null}\n\n')),
    ).toBeUndefined();
  });

  it('reads the id and model from the Chat usage chunk and the Responses terminal event', () => {
    const usage = passthroughHooks['openai-chat'].createInspector().inspect(
      {
        data: '{"id":"chatcmpl-9","model":"deepseek-chat","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
      },
      false,
    );
    expect(usage.answer).toEqual({ id: 'chatcmpl-9', model: 'deepseek-chat' });
    const completed = passthroughHooks['openai-responses'].createInspector().inspect(
      {
        event: 'response.incomplete',
        data: '{"response":{"id":"resp_1","model":"gpt-5","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}}',
      },
      false,
    );
    expect(completed.answer).toEqual({ id: 'resp_1', model: 'gpt-5', finishReason: 'length' });
  });

  it('reads the finish reasons of whole answers', () => {
    expect(passthroughHooks['openai-chat'].finishReasonsOf({ choices: [{ finish_reason: 'stop' }, { finish_reason: 'length' }] })).toEqual([
      'stop',
      'length',
    ]);
    expect(passthroughHooks['openai-responses'].finishReasonsOf({ status: 'completed' })).toEqual(['stop']);
  });

  it('names the GenAI provider from the channel host, OpenAI-compatible hosts as openai', () => {
    expect(upstreamServerOf('https://api.deepseek.com/v1')).toEqual({ provider: 'deepseek', address: 'api.deepseek.com', port: 443 });
    expect(upstreamServerOf('https://my-res.openai.azure.com/openai')).toMatchObject({ provider: 'azure.ai.openai' });
    expect(upstreamServerOf('http://127.0.0.1:8000/v1')).toEqual({ provider: 'openai', address: '127.0.0.1', port: 8000 });
    expect(upstreamServerOf('https://notapi.deepseek.com.evil.example/v1')).toMatchObject({ provider: 'openai' });
  });
});
