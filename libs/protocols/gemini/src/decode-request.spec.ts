import { GatewayError, WarningCollector, providerDataEnvelope, type IrRequest } from '@gw/ir';
import { decodeGeminiRequest } from './decode-request';

const decode = (body: Record<string, unknown>, warnings?: WarningCollector): IrRequest =>
  decodeGeminiRequest(
    { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], ...body },
    { model: 'gemini-2.5-pro', stream: false },
    warnings,
  );

function paramOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error.param;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('decodeGeminiRequest', () => {
  it('takes the model from the URL and the stream flag from the method, usage always in streams', () => {
    const ir = decodeGeminiRequest({ contents: [{ parts: [{ text: 'Hi' }] }] }, { model: 'gemini-3-pro-preview', stream: true });
    expect(ir).toMatchObject({ model: 'gemini-3-pro-preview', stream: true, includeUsageInStream: true });
    expect(ir.items).toEqual([{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('reads systemInstruction, user and model turns, inline images and image files, in snake_case too', () => {
    const ir = decodeGeminiRequest(
      {
        system_instruction: { parts: [{ text: 'Be brief.' }] },
        contents: [
          { role: 'user', parts: [{ text: 'What is this?' }, { inline_data: { mime_type: 'image/png', data: 'iVBOR' } }] },
          { role: 'model', parts: [{ text: 'A cat.' }] },
          {
            role: 'user',
            parts: [
              { fileData: { mimeType: 'image/jpeg', fileUri: 'gs://bucket/cat.jpg' } },
              { fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/doc.pdf' } },
            ],
          },
        ],
      },
      { model: 'm', stream: false },
    );
    expect(ir.items).toEqual([
      { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      {
        kind: 'message',
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
        ],
      },
      { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'A cat.' }] },
      {
        kind: 'message',
        role: 'user',
        content: [
          { type: 'image', source: { type: 'url', url: 'gs://bucket/cat.jpg', mediaType: 'image/jpeg' } },
          {
            type: 'unsupported',
            original: { geminiPart: { fileData: { mimeType: 'application/pdf', fileUri: 'gs://b/doc.pdf' } } },
            description: 'Gemini file data that is not an image',
          },
        ],
      },
    ]);
  });

  it('keeps thought signatures on their parts, thoughts as reasoning, a lone signature as reasoning state', () => {
    const ir = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Q' }] },
        {
          role: 'model',
          parts: [
            { text: 'Thinking…', thought: true, thoughtSignature: 'sig-1' },
            { text: 'Answer', thoughtSignature: 'sig-2' },
            { text: '', thoughtSignature: 'sig-3' },
          ],
        },
      ],
    });
    expect(ir.items.slice(1)).toEqual([
      { kind: 'reasoning', text: 'Thinking…', providerData: { gemini: { thoughtSignature: 'sig-1' } } },
      {
        kind: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: 'Answer', providerData: { gemini: { thoughtSignature: 'sig-2' } } }],
      },
      { kind: 'reasoning', providerData: { gemini: { thoughtSignature: 'sig-3' } } },
    ]);
  });

  it('joins thoughts streamed in pieces into one reasoning item; the gateway envelope gives the other issuer its state back', () => {
    const envelope = providerDataEnvelope({ anthropic: { signature: 'anthropic-sig' } }, 'gemini');
    const ir = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Q' }] },
        {
          role: 'model',
          parts: [
            { text: 'Step 1. ', thought: true },
            { text: 'Step 2.', thought: true },
            { text: '', thoughtSignature: envelope },
            { text: 'A' },
          ],
        },
      ],
    });
    expect(ir.items[1]).toEqual({
      kind: 'reasoning',
      text: 'Step 1. Step 2.',
      providerData: { anthropic: { signature: 'anthropic-sig' } },
    });
    expect(ir.items[2]).toEqual({ kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'A' }] });
  });

  it('derives call ids by name and order and pairs responses with the oldest open call of their name', () => {
    const ir = decode({
      contents: [
        { role: 'user', parts: [{ text: 'Weather in two cities?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
            { functionCall: { name: 'time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'time', response: { now: '12:00' } } },
            { functionResponse: { name: 'weather', response: { temp: 20 } } },
            { functionResponse: { name: 'weather', response: { temp: 25 } } },
            { functionResponse: { name: 'lookup', response: { error: 'not found' } } },
          ],
        },
      ],
    });
    const calls = ir.items.filter((item) => item.kind === 'tool_call');
    const results = ir.items.filter((item) => item.kind === 'tool_result');
    expect(calls.map((call) => call.callId)).toEqual(['gemini_call_0_weather', 'gemini_call_1_weather', 'gemini_call_2_time']);
    expect(calls[0]).toMatchObject({
      name: 'weather',
      arguments: '{"city":"Paris"}',
      providerData: { gemini: { thoughtSignature: 'sig' } },
    });
    expect(results.map((result) => [result.callId, result.content])).toEqual([
      ['gemini_call_2_time', [{ type: 'text', text: '{"now":"12:00"}' }]],
      ['gemini_call_0_weather', [{ type: 'text', text: '{"temp":20}' }]],
      ['gemini_call_1_weather', [{ type: 'text', text: '{"temp":25}' }]],
      ['gemini_call_3_lookup', [{ type: 'text', text: '{"error":"not found"}' }]],
    ]);
    expect(results.map((result) => result.isError)).toEqual([undefined, undefined, undefined, true]);
  });

  it("uses Gemini's call ids when the client sends them", () => {
    const ir = decode({
      contents: [
        { role: 'model', parts: [{ functionCall: { id: 'abc', name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'abc', name: 'f', response: {} } }] },
      ],
    });
    expect(ir.items.map((item) => (item.kind === 'tool_call' || item.kind === 'tool_result' ? item.callId : item.kind))).toEqual([
      'abc',
      'abc',
    ]);
  });

  it('reads function declarations (parameters or parametersJsonSchema), builtins and the calling modes', () => {
    const ir = decode({
      tools: [
        {
          functionDeclarations: [
            { name: 'weather', description: 'Weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } },
            { name: 'now', parametersJsonSchema: { type: 'object', properties: {} } },
          ],
        },
        { googleSearch: {} },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    });
    expect(ir.tools).toEqual([
      {
        kind: 'function',
        name: 'weather',
        description: 'Weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { kind: 'function', name: 'now', parameters: { type: 'object', properties: {} } },
      { kind: 'builtin', type: 'gemini.googleSearch', original: { googleSearch: {} } },
    ]);
    expect(ir.toolChoice).toEqual({ mode: 'tool', name: 'weather' });
    expect(decode({ toolConfig: { functionCallingConfig: { mode: 'ANY' } } }).toolChoice).toEqual({ mode: 'required' });
    expect(decode({ toolConfig: { functionCallingConfig: { mode: 'NONE' } } }).toolChoice).toEqual({ mode: 'none' });
    expect(decode({ toolConfig: { functionCallingConfig: { mode: 'AUTO' } } }).toolChoice).toEqual({ mode: 'auto' });
    const several = decode({ toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } } });
    expect(several.toolChoice).toEqual({ mode: 'required' });
    expect(several.providerData?.gemini?.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } });
  });

  it('reads generationConfig: sampling, stops, JSON output, thinking; carries the rest', () => {
    const ir = decode({
      generationConfig: {
        maxOutputTokens: 1000,
        temperature: 1.5,
        topP: 0.9,
        topK: 40,
        stopSequences: ['END'],
        responseMimeType: 'application/json',
        responseSchema: { type: 'OBJECT', properties: { a: { type: 'STRING' } } },
        thinkingConfig: { thinkingBudget: 2048, includeThoughts: true },
        seed: 7,
      },
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
    });
    expect(ir).toMatchObject({
      maxOutputTokens: 1000,
      temperature: 1.5,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      responseFormat: {
        type: 'json_schema',
        json_schema: { name: 'response', schema: { type: 'object', properties: { a: { type: 'string' } } } },
      },
      reasoning: { budgetTokens: 2048, summary: 'auto' },
      providerData: {
        gemini: { generationConfig: { seed: 7 }, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
      },
    });
    expect(decode({ generationConfig: { thinkingConfig: { thinkingLevel: 'low' } } }).reasoning).toEqual({ effort: 'low' });
    expect(decode({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }).reasoning).toBeUndefined();
    expect(decode({ generationConfig: { thinkingConfig: { thinkingBudget: -1 } } }).reasoning).toEqual({});
    expect(decode({ generationConfig: { responseMimeType: 'application/json' } }).responseFormat).toEqual({ type: 'json_object' });
  });

  it('warns about and drops fields Gemini does not know', () => {
    const warnings = new WarningCollector();
    const ir = decode({ frobnicate: true }, warnings);
    expect(ir.providerData).toBeUndefined();
    expect(warnings.list).toEqual([{ code: 'parameter_dropped', message: "'frobnicate' is not a Gemini request field; dropped" }]);
  });

  it.each([
    [{ contents: [] }, 'contents'],
    [{ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, 'contents[0].role'],
    [{ contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0]'],
    [{ contents: [{ role: 'user', parts: [{ inlineData: { data: 'x' } }] }] }, 'contents[0].parts[0].inlineData.mimeType'],
    [{ generationConfig: { temperature: 3 } }, 'generationConfig.temperature'],
    [{ generationConfig: { stopSequences: [1] } }, 'generationConfig.stopSequences'],
    [{ generationConfig: { thinkingConfig: { thinkingLevel: 'extreme' } } }, 'generationConfig.thinkingConfig.thinkingLevel'],
    [{ toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } }, 'toolConfig.functionCallingConfig.mode'],
    [{ tools: [{ functionDeclarations: [{ description: 'no name' }] }] }, 'tools[0].functionDeclarations[0].name'],
  ])('refuses %j naming %s', (body, param) => {
    expect(paramOf(() => decode(body))).toBe(param);
  });
});
