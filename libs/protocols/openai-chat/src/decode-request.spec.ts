import { GatewayError } from '@gw/ir';
import { decodeChatRequest } from './decode-request';

function decodeError(body: unknown): GatewayError {
  try {
    decodeChatRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected decodeChatRequest to throw');
}

const userMessage = { role: 'user', content: 'hi' };

describe('decodeChatRequest', () => {
  it('decodes every message role, content parts, tool calls and options', () => {
    const ir = decodeChatRequest({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning_content: 'The user wants a lookup.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'call_1',
          content: [
            { type: 'text', text: 'a ' },
            { type: 'text', text: 'cat' },
          ],
        },
      ],
      tools: [
        { type: 'function', function: { name: 'lookup', description: 'Look up', parameters: { type: 'object' }, strict: true } },
        { type: 'web_search_preview' },
      ],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      reasoning_effort: 'low',
      user: 'user-42',
      metadata: { team: 'ai' },
      response_format: { type: 'json_object' },
      frequency_penalty: 0,
    });
    expect(ir).toEqual({
      model: 'gpt-4o-mini',
      items: [
        { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { kind: 'message', role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        {
          kind: 'message',
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' }, detail: 'low' },
            {
              type: 'unsupported',
              original: { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
              description: "Chat content part of type 'input_audio'",
            },
          ],
        },
        { kind: 'reasoning', text: 'The user wants a lookup.' },
        { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Checking.' }] },
        { kind: 'tool_call', callId: 'call_1', name: 'lookup', arguments: '{"q":"cat"}' },
        { kind: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
      ],
      tools: [
        { kind: 'function', name: 'lookup', description: 'Look up', parameters: { type: 'object' }, strict: true },
        { kind: 'builtin', type: 'web_search_preview', original: { type: 'web_search_preview' } },
      ],
      toolChoice: { mode: 'tool', name: 'lookup' },
      parallelToolCalls: false,
      stream: true,
      includeUsageInStream: true,
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stop: ['END'],
      reasoning: { effort: 'low' },
      user: 'user-42',
      metadata: { team: 'ai' },
      responseFormat: { type: 'json_object' },
    });
  });

  it('prefers max_completion_tokens over max_tokens and treats null options as absent', () => {
    const ir = decodeChatRequest({
      model: 'm',
      messages: [userMessage],
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: null,
      tools: null,
      tool_choice: null,
      stream_options: null,
      n: 1,
    });
    expect(ir).toEqual({
      model: 'm',
      items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      tools: [],
      stream: false,
      maxOutputTokens: 20,
    });
  });

  it('tolerates the openai SDK 6.x assistant echo with refusal: null and parsed: null', () => {
    const ir = decodeChatRequest({
      model: 'm',
      messages: [
        userMessage,
        {
          role: 'assistant',
          content: null,
          refusal: null,
          parsed: null,
          tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'shell', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_x', content: 'ok' },
      ],
    });
    expect(ir.items.slice(1)).toEqual([
      { kind: 'tool_call', callId: 'call_x', name: 'shell', arguments: '{}' },
      { kind: 'tool_result', callId: 'call_x', content: [{ type: 'text', text: 'ok' }] },
    ]);
  });

  it('keeps an assistant refusal string as a refusal part', () => {
    const ir = decodeChatRequest({ model: 'm', messages: [userMessage, { role: 'assistant', content: null, refusal: 'No.' }] });
    expect(ir.items[1]).toEqual({ kind: 'message', role: 'assistant', content: [{ type: 'refusal', text: 'No.' }] });
  });

  it.each<[string, unknown, string, string]>([
    ['a non-object body', 'hello', 'body', 'The request body must be a JSON object.'],
    ['a missing model', { messages: [userMessage] }, 'model', "'model' is required and must be a non-empty string."],
    ['a blank model', { model: '  ', messages: [userMessage] }, 'model', "'model' is required and must be a non-empty string."],
    ['a numeric model', { model: 4, messages: [userMessage] }, 'model', "'model' is required and must be a non-empty string."],
    ['missing messages', { model: 'm' }, 'messages', "'messages' must be a non-empty array."],
    ['empty messages', { model: 'm', messages: [] }, 'messages', "'messages' must be a non-empty array."],
    ['a message that is not an object', { model: 'm', messages: ['hi'] }, 'messages[0]', "'messages[0]' must be an object."],
    [
      'an unknown role',
      { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
      'messages[0].role',
      "'messages[0].role' must be one of 'system', 'developer', 'user', 'assistant', 'tool'.",
    ],
    [
      'the deprecated function role',
      { model: 'm', messages: [{ role: 'function', name: 'f', content: 'x' }] },
      'messages[0].role',
      "Role 'function' is deprecated and not supported; send tool results with role 'tool'.",
    ],
    [
      'user content of the wrong type',
      { model: 'm', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
      "'messages[0].content' must be a string or an array of content parts.",
    ],
    [
      'an image without url',
      { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
      'messages[0].content[0].image_url.url',
      "'messages[0].content[0].image_url.url' must be a non-empty string.",
    ],
    [
      'a tool message without tool_call_id',
      { model: 'm', messages: [userMessage, { role: 'tool', content: 'x' }] },
      'messages[1].tool_call_id',
      "'messages[1].tool_call_id' must be a non-empty string.",
    ],
    [
      'tool call arguments that are not a string',
      {
        model: 'm',
        messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }] }],
      },
      'messages[0].tool_calls[0].function.arguments',
      "'messages[0].tool_calls[0].function.arguments' must be a JSON string.",
    ],
    [
      'a tool without a name',
      { model: 'm', messages: [userMessage], tools: [{ type: 'function', function: {} }] },
      'tools[0].function.name',
      "'tools[0].function.name' must be a non-empty string.",
    ],
    [
      'an unknown tool_choice',
      { model: 'm', messages: [userMessage], tool_choice: 'any' },
      'tool_choice',
      '\'tool_choice\' must be \'auto\', \'none\', \'required\' or {"type":"function","function":{"name":...}}.',
    ],
    ['a string stream flag', { model: 'm', messages: [userMessage], stream: 'yes' }, 'stream', "'stream' must be a boolean."],
    ['zero max_tokens', { model: 'm', messages: [userMessage], max_tokens: 0 }, 'max_tokens', "'max_tokens' must be a positive integer."],
    [
      'a stop list of numbers',
      { model: 'm', messages: [userMessage], stop: [1] },
      'stop',
      "'stop' must be a string or an array of strings.",
    ],
    [
      'an unknown reasoning_effort',
      { model: 'm', messages: [userMessage], reasoning_effort: 'max' },
      'reasoning_effort',
      "'reasoning_effort' must be one of 'minimal', 'low', 'medium', 'high'.",
    ],
    [
      'metadata with a number',
      { model: 'm', messages: [userMessage], metadata: { a: 1 } },
      'metadata',
      "'metadata' must be an object of string values.",
    ],
    ['n above 1', { model: 'm', messages: [userMessage], n: 2 }, 'n', "Only 'n': 1 is supported."],
  ])('answers %s with a 400 naming the field', (_scenario, body, param, message) => {
    const error = decodeError(body);
    expect(error.code).toBe('invalid_request');
    expect(error.httpStatus).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toBe(message);
  });

  it('reads a base64 data URL image as inline data, so protocols that want bytes get them', () => {
    const ir = decodeChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
    });
    expect(ir.items[0]).toEqual({
      kind: 'message',
      role: 'user',
      content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } }],
    });
  });
});
