import { WarningCollector, type IrRequest } from '@gw/ir';
import { encodeGeminiRequest } from './encode-request';
import { geminiSchema } from './json-schema';

const request = (extra: Partial<IrRequest>): IrRequest => ({
  model: 'gemini-2.5-pro',
  items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  tools: [],
  stream: false,
  ...extra,
});

describe('encodeGeminiRequest', () => {
  it('puts system and developer text in systemInstruction and merges consecutive turns of one role', () => {
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(
      request({
        items: [
          { kind: 'message', role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { kind: 'message', role: 'user', content: [{ type: 'text', text: 'A' }] },
          { kind: 'message', role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
          {
            kind: 'message',
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } }],
          },
          { kind: 'message', role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://x.test/cat.webp' } }] },
          { kind: 'message', role: 'assistant', content: [{ type: 'refusal', text: 'No.' }] },
        ],
      }),
      warnings,
    );
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }, { text: 'Use tools.' }] });
    expect(body.contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'A' },
          { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
          { fileData: { mimeType: 'image/webp', fileUri: 'https://x.test/cat.webp' } },
        ],
      },
      { role: 'model', parts: [{ text: 'No.' }] },
    ]);
    expect(warnings.list).toEqual([]);
  });

  it('sends tool results as functionResponse parts named after their call; Gemini signatures go back, others get the stand-in', () => {
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(
      request({
        model: 'gemini-3-pro-preview',
        items: [
          { kind: 'message', role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          { kind: 'reasoning', providerData: { gemini: { thoughtSignature: 'sig-r' } } },
          {
            kind: 'tool_call',
            callId: 'c1',
            name: 'weather',
            arguments: '{"city":"Paris"}',
            providerData: { gemini: { thoughtSignature: 'sig-1' } },
          },
          { kind: 'tool_result', callId: 'c1', content: [{ type: 'text', text: '{"temp":20}' }] },
          { kind: 'tool_call', callId: 'toolu_2', name: 'shell', namespace: 'ns', arguments: '{}' },
          { kind: 'tool_call', callId: 'toolu_3', name: 'shell', namespace: 'ns', arguments: 'not json' },
          {
            kind: 'tool_result',
            callId: 'toolu_2',
            content: [
              { type: 'text', text: 'ok' },
              { type: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AA' } },
            ],
          },
          { kind: 'tool_result', callId: 'toolu_3', content: [{ type: 'text', text: 'boom' }], isError: true },
          { kind: 'tool_result', callId: 'unknown', content: [{ type: 'text', text: 'orphan' }] },
        ],
      }),
      warnings,
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather?' }] },
      {
        role: 'model',
        parts: [
          { text: '', thoughtSignature: 'sig-r' },
          { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temp: 20 } } }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'ns__shell', args: {} }, thoughtSignature: 'skip_thought_signature_validator' },
          { functionCall: { name: 'ns__shell', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'ns__shell',
              response: { output: 'ok' },
              parts: [{ inlineData: { mimeType: 'image/png', data: 'AA' } }],
            },
          },
          { functionResponse: { name: 'ns__shell', response: { error: 'boom' } } },
          { text: 'orphan' },
        ],
      },
    ]);
    // Models before Gemini 3 never required a signature: no stand-in for them.
    const older = encodeGeminiRequest(
      request({ items: [{ kind: 'tool_call', callId: 'c', name: 'f', arguments: '{}' }] }),
      new WarningCollector(),
    );
    expect(older.body.contents).toEqual([{ role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }]);
    expect(warnings.list.map((warning) => warning.message)).toEqual([
      "arguments of a call to 'shell' are not a JSON object; sent as {}",
      "tool result for call 'unknown' has no matching call in the conversation; sent as text",
    ]);
  });

  it("drops other providers' reasoning with a warning", () => {
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(
      request({
        items: [
          { kind: 'message', role: 'user', content: [{ type: 'text', text: 'Q' }] },
          { kind: 'reasoning', text: 'hmm', providerData: { anthropic: { signature: 'x' } } },
          { kind: 'message', role: 'assistant', content: [{ type: 'text', text: 'A' }] },
        ],
      }),
      warnings,
    );
    expect(body.contents[1]).toEqual({ role: 'model', parts: [{ text: 'A' }] });
    expect(warnings.list.map((warning) => warning.message)).toEqual([
      'reasoning without a Gemini thought signature cannot be replayed to a Gemini upstream',
      "anthropic 'signature' cannot be sent to a Gemini upstream",
    ]);
  });

  it('declares functions with cleaned schemas, keeps Gemini builtins, drops others, maps tool choice', () => {
    const warnings = new WarningCollector();
    const { body, toolNames } = encodeGeminiRequest(
      request({
        tools: [
          {
            kind: 'function',
            name: 'weather',
            description: 'W',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, additionalProperties: false, $schema: 'x' },
          },
          { kind: 'function', name: 'now', parameters: { type: 'object', properties: {} } },
          { kind: 'function', name: 'run', namespace: 'shell' },
          { kind: 'builtin', type: 'gemini.googleSearch', original: { googleSearch: {} } },
          { kind: 'builtin', type: 'web_search', original: { type: 'web_search' } },
        ],
        toolChoice: { mode: 'tool', name: 'weather' },
        parallelToolCalls: false,
      }),
      warnings,
    );
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'weather', description: 'W', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
          { name: 'now' },
          { name: 'shell__run' },
        ],
      },
      { googleSearch: {} },
    ]);
    expect(toolNames.get('shell__run')).toEqual({ name: 'run', namespace: 'shell' });
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } });
    expect(warnings.list.map((warning) => warning.message)).toEqual([
      "built-in tool 'web_search' is not available through a Gemini upstream",
      'tool parameters and response schema: JSON Schema keywords Gemini does not take were dropped ($schema, additionalProperties)',
      'Gemini cannot be told to make one tool call at a time (parallel_tool_calls: false)',
    ]);
  });

  it('maps sampling, stops (five at most), JSON output and thinking by model family', () => {
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(
      request({
        maxOutputTokens: 500,
        temperature: 0.2,
        topP: 0.8,
        topK: 20,
        stop: ['1', '2', '3', '4', '5', '6'],
        responseFormat: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: { type: 'object', properties: { n: { type: ['integer', 'null'] } } } },
        },
        reasoning: { effort: 'medium' },
        user: 'u1',
      }),
      warnings,
    );
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 500,
      temperature: 0.2,
      topP: 0.8,
      topK: 20,
      stopSequences: ['1', '2', '3', '4', '5'],
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'integer', nullable: true } } },
      thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
    });
    expect(warnings.list.map((warning) => warning.code)).toEqual(['parameter_dropped', 'parameter_dropped']);
    const gemini3 = encodeGeminiRequest(
      request({ model: 'gemini-3-pro-preview', reasoning: { effort: 'minimal' } }),
      new WarningCollector(),
    );
    expect(gemini3.body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingLevel: 'low' });
    const budget = encodeGeminiRequest(request({ reasoning: { budgetTokens: 3000 } }), new WarningCollector());
    expect(budget.body.generationConfig?.thinkingConfig).toEqual({ includeThoughts: true, thinkingBudget: 3000 });
  });

  it("gives a Gemini client's carried fields back: safety settings, extra generation config, several allowed names", () => {
    const warnings = new WarningCollector();
    const { body } = encodeGeminiRequest(
      request({
        temperature: 1,
        tools: [{ kind: 'function', name: 'a' }],
        toolChoice: { mode: 'required' },
        providerData: {
          gemini: {
            safetySettings: [{ category: 'C', threshold: 'BLOCK_NONE' }],
            generationConfig: { seed: 3 },
            toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } },
          },
        },
      }),
      warnings,
    );
    expect(body).toMatchObject({
      safetySettings: [{ category: 'C', threshold: 'BLOCK_NONE' }],
      generationConfig: { seed: 3, temperature: 1 },
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['a', 'b'] } },
    });
    expect(warnings.list).toEqual([]);
  });
});

describe('geminiSchema', () => {
  it('inlines $ref, turns oneOf and const into anyOf and enum, drops unknown keywords and bad string formats', () => {
    const dropped = new Set<string>();
    const schema = geminiSchema(
      {
        type: 'object',
        $defs: { Point: { type: 'object', properties: { x: { type: 'number', exclusiveMinimum: 0 } }, required: ['x', 'y'] } },
        properties: {
          at: { $ref: '#/$defs/Point' },
          kind: { oneOf: [{ const: 'a' }, { type: 'string', format: 'email' }] },
          when: { type: 'string', format: 'date-time' },
          loop: { $ref: '#/$defs/Missing' },
        },
      },
      dropped,
    );
    expect(schema).toEqual({
      type: 'object',
      properties: {
        at: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
        kind: { anyOf: [{ enum: ['a'] }, { type: 'string' }] },
        when: { type: 'string', format: 'date-time' },
        loop: {},
      },
    });
    expect([...dropped].sort()).toEqual(['$ref', 'exclusiveMinimum', 'format: email']);
  });
});
