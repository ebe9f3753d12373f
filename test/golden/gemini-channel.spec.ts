/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- recorded wire JSON is read loosely, the way a client reads it */
/**
 * A Gemini client served by other channels, and other clients served by a Gemini channel:
 * - every recorded OpenAI Chat, Responses and Anthropic stream → IR → the Gemini stream encoder: well-formed,
 *   closed, and saying what the IR says (text, thoughts, whole function calls, finish reason, usage);
 * - Codex's real requests → Responses decode → Gemini request: every function tool present (namespaced ones
 *   flattened), history calls and results paired by name, warnings for what Gemini cannot take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WarningCollector, type IrFinishReason, type IrStreamEvent } from '@gw/ir';
import { AnthropicStreamDecoder } from '@gw/protocol-anthropic-messages';
import { GeminiStreamEncoder, SKIP_SIGNATURE_VALIDATION, encodeGeminiRequest } from '@gw/protocol-gemini';
import { ChatStreamDecoder } from '@gw/protocol-openai-chat';
import { ResponsesStreamDecoder, decodeResponsesRequest } from '@gw/protocol-openai-responses';
import { fixturesRoot } from '../support/recordings';
import { readGeminiStream } from './gemini-stream-checks';
import { relayStream, type RelayDecoder } from './relay-stream';
import { goldenContext, parseClientSse, recordedEvents, recordingNames } from './translate-stream';

const FINISH: Record<IrFinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
  error: '',
};

function decoderFor(folder: string, ctx: ReturnType<typeof goldenContext>): RelayDecoder {
  if (folder === 'anthropic') return new AnthropicStreamDecoder(ctx);
  return folder === 'openai-responses' ? new ResponsesStreamDecoder(ctx) : new ChatStreamDecoder(ctx);
}

/** What the IR events say, read without the Gemini encoder. */
function irFacts(events: IrStreamEvent[]): {
  text: string;
  thoughts: string;
  calls: { name: string; args: unknown }[];
  finish?: IrFinishReason;
} {
  const calls = new Map<number, { name: string; json: string }>();
  let text = '';
  let thoughts = '';
  let finish: IrFinishReason | undefined;
  for (const event of events) {
    if (event.type === 'text_delta' || event.type === 'refusal_delta') text += event.text;
    if (event.type === 'reasoning_delta') thoughts += event.text;
    if (event.type === 'reasoning_item') thoughts += event.summary.join('\n\n');
    if (event.type === 'tool_call_start')
      calls.set(event.index, { name: event.namespace === undefined ? event.name : `${event.namespace}__${event.name}`, json: '' });
    if (event.type === 'tool_call_delta') {
      const call = calls.get(event.index);
      if (call !== undefined) call.json += event.argumentsDelta;
    }
    if (event.type === 'finish') finish = event.reason;
  }
  const parsed = [...calls.values()].map((call) => ({ name: call.name, args: JSON.parse(call.json === '' ? '{}' : call.json) as unknown }));
  return { text, thoughts, calls: parsed, ...(finish === undefined ? {} : { finish }) };
}

const cases = ['openai-chat', 'openai-responses', 'anthropic'].flatMap((folder) =>
  recordingNames(folder).map((name) => [folder, name] as const),
);

describe('recorded OpenAI and Anthropic streams → IR → Gemini stream', () => {
  it.each(cases)('%s/%s', (folder, name) => {
    const ctx = goldenContext();
    const { ir, out } = relayStream(
      recordedEvents(`${folder}/${name}`),
      decoderFor(folder, ctx),
      new GeminiStreamEncoder(ctx, { model: 'gemini-client' }),
    );
    const summary = readGeminiStream(parseClientSse(out));
    const facts = irFacts(ir);
    if (name === 'error.sse') {
      expect(summary.error?.message).toMatch(/quota|exceeded|error|GPT-6/i);
      expect(summary.finishReason).toBeUndefined();
      return;
    }
    expect(summary.text).toBe(facts.text);
    expect(summary.thoughts).toBe(facts.thoughts);
    // Custom and shell tools' input is not a JSON object: wrapped, not lost.
    expect(summary.calls).toEqual(
      facts.calls.map((call) =>
        typeof call.args === 'object' && call.args !== null ? call : { name: call.name, args: expect.anything() },
      ),
    );
    expect(summary.finishReason).toBe(FINISH[facts.finish ?? 'error']);
    const usage = [...ir].reverse().find((event) => event.type === 'usage');
    const irUsage = usage?.type === 'usage' ? usage.usage : undefined;
    expect(summary.usage?.promptTokenCount).toBe(irUsage?.inputTokens ?? 0);
    expect(summary.usage?.totalTokenCount).toBe(irUsage?.totalTokens ?? 0);
    expect((summary.usage?.candidatesTokenCount ?? 0) + (summary.usage?.thoughtsTokenCount ?? 0)).toBe(irUsage?.outputTokens ?? 0);
    expect(new Set(summary.modelVersions)).toEqual(new Set(['gemini-client']));
    // Gemini response ids have no other protocol's prefix.
    expect(summary.responseIds.every((id) => !/^(resp|msg|chatcmpl)_/.test(id))).toBe(true);
  });
});

describe('Codex requests → Responses decode → Gemini channel', () => {
  const codex = (name: string): Record<string, any> =>
    (JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'codex', `${name}.json`), 'utf8')) as { body: Record<string, any> }).body;

  it.each(['first-turn', 'tool-followup'])('%s: every function tool, instructions, history, warnings for the rest', (name) => {
    const body = codex(name);
    const ir = decodeResponsesRequest(body);
    const warnings = new WarningCollector();
    const { body: gemini, toolNames } = encodeGeminiRequest(ir, warnings);

    // Every function tool, namespaced ones flattened and mapped back.
    const declared = (gemini.tools?.[0]?.functionDeclarations ?? []) as { name: string; parameters?: Record<string, unknown> }[];
    const irFunctions = ir.tools.filter((tool) => tool.kind === 'function');
    expect(declared.map((declaration) => declaration.name)).toEqual(
      irFunctions.map((tool) => (tool.namespace === undefined ? tool.name : `${tool.namespace}__${tool.name}`)),
    );
    for (const tool of irFunctions)
      if (tool.namespace !== undefined)
        expect(toolNames.get(`${tool.namespace}__${tool.name}`)).toEqual({ name: tool.name, namespace: tool.namespace });
    // Parameters are Gemini schemas: no keyword outside its Schema object anywhere.
    const walk = (node: unknown): string[] =>
      typeof node !== 'object' || node === null
        ? []
        : Object.entries(node).flatMap(([key, value]) =>
            key === 'properties' ? Object.values(value as object).flatMap(walk) : [key, ...walk(value)],
          );
    const keys = new Set(declared.flatMap((declaration) => walk(declaration.parameters)));
    for (const forbidden of ['additionalProperties', '$schema', 'strict', '$ref']) expect(keys.has(forbidden)).toBe(false);

    // Instructions and developer messages become the system instruction; user text is a user turn.
    expect(gemini.systemInstruction?.parts.length).toBeGreaterThan(0);
    expect(gemini.contents[0]?.role).toBe('user');
    for (let index = 1; index < gemini.contents.length; index++)
      expect(gemini.contents[index]?.role).not.toBe(gemini.contents[index - 1]?.role);
    expect(gemini.generationConfig?.thinkingConfig?.includeThoughts).toBe(true);

    const messages = warnings.list.map((warning) => warning.message).join('\n');
    expect(messages).toMatch(/built-in tool 'web_search'/);
    expect(messages).toMatch(/JSON Schema keywords Gemini does not take were dropped \(.*additionalProperties/);
    if (name === 'tool-followup') {
      const call = body.input.find((item: Record<string, any>) => item.type === 'function_call');
      const output = body.input.find((item: Record<string, any>) => item.type === 'function_call_output');
      const model = gemini.contents.find((content) => content.role === 'model');
      const functionCall = model?.parts.find((part) => part.functionCall !== undefined);
      expect(functionCall?.functionCall).toEqual({ name: call.name, args: JSON.parse(call.arguments) });
      // A call Gemini did not make carries the documented stand-in signature (Gemini 3 refuses an unsigned one).
      expect(functionCall?.thoughtSignature).toBe(SKIP_SIGNATURE_VALIDATION);
      const response = gemini.contents.flatMap((content) => content.parts).find((part) => part.functionResponse !== undefined);
      expect(response?.functionResponse?.name).toBe(call.name);
      expect(response?.functionResponse?.response).toEqual({ output: output.output });
    }
  });
});
