import type { IrItem, IrProviderData, IrRequest, IrTool } from '@gw/ir';

/**
 * The request side's shared scenarios, written once in the IR. Each client protocol's body for a scenario is
 * made by that protocol's own encoder (the shape its upstreams take is the shape its clients send), so every
 * client protocol states the same scenario; real client recordings join them in requests.spec.ts.
 */
export interface RequestScenario {
  id: string;
  request: IrRequest;
}

// A 1×1 PNG, the smallest real image.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const weather: IrTool = {
  kind: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const time: IrTool = {
  kind: 'function',
  name: 'get_time',
  description: 'The current time',
  parameters: { type: 'object', properties: {} },
};

const base = (items: IrItem[], extra: Partial<IrRequest> = {}): IrRequest => ({
  model: 'client-model',
  stream: false,
  tools: [],
  items: [{ kind: 'message', role: 'system', content: [{ type: 'text', text: 'You are terse.' }] }, ...items],
  maxOutputTokens: 1024,
  ...extra,
});
const user = (text: string): IrItem => ({ kind: 'message', role: 'user', content: [{ type: 'text', text }] });
const call = (callId: string, name: string, args: string, providerData?: IrProviderData): IrItem => ({
  kind: 'tool_call',
  callId,
  name,
  arguments: args,
  ...(providerData === undefined ? {} : { providerData }),
});
const result = (callId: string, text: string): IrItem => ({ kind: 'tool_result', callId, content: [{ type: 'text', text }] });

/** Reasoning state as each issuer writes it in the IR (see each codec's provider-data.ts). */
const REASONING_BY_ISSUER: Record<string, { reasoning: IrItem; callData?: IrProviderData }> = {
  anthropic: {
    reasoning: { kind: 'reasoning', text: 'The user wants weather.', providerData: { anthropic: { signature: 'EqQBCkYIBxgCKkB' } } },
  },
  'openai-responses': {
    reasoning: {
      kind: 'reasoning',
      id: 'rs_1',
      summary: ['The user wants weather.'],
      providerData: { 'openai-responses': { encryptedContent: 'gAAAAABpPMlcH0HH' } },
    },
  },
  gemini: {
    reasoning: { kind: 'reasoning', text: 'The user wants weather.' },
    callData: { gemini: { thoughtSignature: 'CiMBjz1rX25KieIB' } },
  },
};

export const REQUEST_SCENARIOS: readonly RequestScenario[] = [
  {
    id: 'text',
    request: base([user('Say hi.'), { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] }, user('Again.')], {
      temperature: 0.5,
    }),
  },
  { id: 'stop-sequences', request: base([user('Count to ten.')], { stop: ['5', 'five'] }) },
  {
    id: 'json-output',
    request: base([user('Weather as JSON.')], {
      responseFormat: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          schema: { type: 'object', properties: { temperature: { type: 'number' } }, required: ['temperature'] },
        },
      },
    }),
  },
  {
    id: 'image-input',
    request: base([
      {
        kind: 'message',
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
        ],
      },
    ]),
  },
  {
    id: 'tool-single',
    request: base(
      [user('Weather in Paris?'), call('call_1', 'get_weather', '{"city":"Paris"}'), result('call_1', '18°C, clear'), user('Thanks.')],
      {
        tools: [weather],
      },
    ),
  },
  {
    id: 'tools-parallel',
    request: base(
      [
        user('Weather in Paris and the time?'),
        call('call_1', 'get_weather', '{"city":"Paris"}'),
        call('call_2', 'get_time', '{}'),
        result('call_1', '18°C'),
        result('call_2', '12:00'),
      ],
      { tools: [weather, time], parallelToolCalls: true },
    ),
  },
  {
    id: 'tool-no-arguments',
    request: base([user('What time is it?'), call('call_1', 'get_time', '{}'), result('call_1', '12:00')], { tools: [time] }),
  },
  {
    id: 'tool-result-text-and-image',
    request: base(
      [
        user('Take a screenshot.'),
        call('call_1', 'screenshot', '{}'),
        {
          kind: 'tool_result',
          callId: 'call_1',
          content: [
            { type: 'text', text: 'Here it is.' },
            { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: PNG } },
          ],
          isError: false,
        },
      ],
      { tools: [{ kind: 'function', name: 'screenshot', parameters: { type: 'object', properties: {} } }] },
    ),
  },
  {
    id: 'tool-result-error',
    request: base(
      [
        user('Weather in Atlantis?'),
        call('call_1', 'get_weather', '{"city":"Atlantis"}'),
        { kind: 'tool_result', callId: 'call_1', content: [{ type: 'text', text: 'unknown city' }], isError: true },
      ],
      { tools: [weather] },
    ),
  },
  { id: 'tool-choice-required', request: base([user('Weather?')], { tools: [weather, time], toolChoice: { mode: 'required' } }) },
  { id: 'tool-choice-none', request: base([user('Weather?')], { tools: [weather, time], toolChoice: { mode: 'none' } }) },
  {
    id: 'tool-choice-named',
    request: base([user('Weather?')], { tools: [weather, time], toolChoice: { mode: 'tool', name: 'get_weather' } }),
  },
  ...Object.entries(REASONING_BY_ISSUER).map(([issuer, { reasoning, callData }]) => ({
    id: `reasoning-replay-${issuer}`,
    request: base(
      [user('Weather in Paris?'), reasoning, call('call_1', 'get_weather', '{"city":"Paris"}', callData), result('call_1', '18°C')],
      { tools: [weather], reasoning: { effort: 'medium' as const } },
    ),
  })),
];
