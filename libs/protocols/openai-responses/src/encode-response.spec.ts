import { type IrResponse, sequentialCodecContext } from '@gw/ir';
import { encodeResponsesResponse } from './encode-response';

describe('encodeResponsesResponse', () => {
  it('DeepSeek-style reasoning text becomes a summary; namespaced calls keep namespace; ids are minted when absent', () => {
    const ir: IrResponse = {
      id: 'chatcmpl-42',
      model: 'deepseek-reasoner',
      created: 1_700_000_500,
      finishReason: 'tool_calls',
      output: [
        { kind: 'reasoning', text: 'I should spawn an agent.' },
        { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Spawning.' }] },
        { kind: 'tool_call', callId: 'call_1', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{"task":"t"}' },
        { kind: 'tool_call', id: 'fc_keep', callId: 'call_2', name: 'exec_command', arguments: '{}' },
      ],
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    };
    expect(encodeResponsesResponse(ir, sequentialCodecContext(), { model: 'gpt-5' })).toEqual({
      id: 'resp_1',
      object: 'response',
      created_at: 1_700_000_500,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-5',
      output: [
        { id: 'rs_2', type: 'reasoning', summary: [{ type: 'summary_text', text: 'I should spawn an agent.' }] },
        {
          id: 'msg_3',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Spawning.', annotations: [] }],
        },
        {
          id: 'fc_4',
          type: 'function_call',
          status: 'completed',
          arguments: '{"task":"t"}',
          call_id: 'call_1',
          name: 'spawn_agent',
          namespace: 'multi_agent_v1',
        },
        { id: 'fc_keep', type: 'function_call', status: 'completed', arguments: '{}', call_id: 'call_2', name: 'exec_command' },
      ],
      usage: {
        input_tokens: 3,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 4,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 7,
      },
      parallel_tool_calls: true,
      tool_choice: 'auto',
      tools: [],
      metadata: {},
      instructions: null,
      previous_response_id: null,
      store: false,
      text: { format: { type: 'text' } },
      truncation: 'disabled',
    });
  });

  it('length → incomplete with max_output_tokens; a resp_ id and encrypted reasoning are kept', () => {
    const response = encodeResponsesResponse(
      {
        id: 'resp_up',
        model: 'gpt-5',
        created: 0,
        finishReason: 'length',
        output: [
          { kind: 'reasoning', id: 'rs_up', summary: ['S'], providerData: { 'openai-responses': { encryptedContent: 'enc' } } },
          { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Half' }] },
        ],
      },
      sequentialCodecContext(1_800_000_000),
      { model: 'gpt-5' },
    );
    expect(response).toMatchObject({
      id: 'resp_up',
      created_at: 1_800_000_000,
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      usage: null,
    });
    expect(response.output).toEqual([
      { id: 'rs_up', type: 'reasoning', summary: [{ type: 'summary_text', text: 'S' }], encrypted_content: 'enc' },
      {
        id: 'msg_1',
        type: 'message',
        status: 'incomplete',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Half', annotations: [] }],
      },
    ]);
  });
});
