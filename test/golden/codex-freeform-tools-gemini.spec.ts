/**
 * Codex's freeform (`custom`) tools on a Gemini channel: the `exec` tool of Codex's real `additional_tools`
 * request reaches Gemini as a function declaration with one string parameter (the grammar in its
 * description), the model's call comes back to Codex as a `custom_tool_call` with the raw input (streamed and
 * whole), and Codex's follow-up sends the call back wrapped. A Responses client has nowhere to keep Gemini's
 * thought signature of a call, so the follow-up carries the stand-in Google documents for calls it did not
 * see signed (ADR 0017); the signature itself goes to no other provider.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WarningCollector } from '@gw/ir';
import { GeminiStreamDecoder, SKIP_SIGNATURE_VALIDATION, decodeGeminiResponse, encodeGeminiRequest } from '@gw/protocol-gemini';
import { encodeChatRequest } from '@gw/protocol-openai-chat';
import { ResponsesStreamEncoder, decodeResponsesRequest, encodeResponsesResponse } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { fixturesRoot } from '../support/recordings';
import { goldenContext, parseClientSse, translate } from './translate-stream';

interface GeminiDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
}

function codexRequestBody(file: string): Record<string, unknown> {
  const recorded = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'codex', file), 'utf8')) as { body: Record<string, unknown> };
  return recorded.body;
}

function declarations(body: unknown): GeminiDeclaration[] {
  const tools = (body as { tools?: { functionDeclarations?: GeminiDeclaration[] }[] }).tools ?? [];
  return tools.flatMap((tool) => tool.functionDeclarations ?? []);
}

const SIGNATURE = 'CiQBVKhc7thought-signature-of-gemini';

/** A Gemini stream whose model calls `functions__exec` with `{input}` (signed), then finishes. */
function geminiStreamCallingExec(input: string): SseEvent[] {
  const chunk = (candidate: Record<string, unknown>): SseEvent => ({
    data: JSON.stringify({
      candidates: [{ index: 0, ...candidate }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
      modelVersion: 'gemini-3-pro-preview',
      responseId: 'gemini-response-1',
    }),
  });
  return [
    chunk({
      content: { role: 'model', parts: [{ functionCall: { name: 'functions__exec', args: { input } }, thoughtSignature: SIGNATURE }] },
    }),
    chunk({ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }),
  ];
}

describe("Codex's custom tools on a Gemini channel", () => {
  const body = codexRequestBody('additional-tools-first-turn.json');

  it('declares exec as a function with one string parameter, its grammar in the description', () => {
    const warnings = new WarningCollector();
    const gemini = encodeGeminiRequest({ ...decodeResponsesRequest(body), model: 'gemini-3-pro-preview' }, warnings);
    const exec = declarations(gemini.body).find((declaration) => declaration.name === 'functions__exec');
    expect(exec?.parameters).toEqual({
      type: 'object',
      properties: { input: { type: 'string', description: 'The raw input text.' } },
      required: ['input'],
    });
    expect(exec?.description).toContain('pragma_source');
    expect(gemini.toolNames.get('functions__exec')).toEqual({ name: 'exec', namespace: 'functions', freeform: true });
    // The freeform schema is the gateway's own: its `additionalProperties` is no keyword the client lost.
    expect(warnings.list.map((warning) => warning.message).join('\n')).not.toMatch(/additionalProperties.*exec/);
  });

  it('returns a streamed exec call to Codex as a custom_tool_call with the raw input', () => {
    const ctx = goldenContext();
    const { toolNames } = encodeGeminiRequest({ ...decodeResponsesRequest(body), model: 'gemini-3-pro-preview' }, new WarningCollector());
    const input = 'const r = await tools.exec_command({cmd: "echo \\"hi\\""});\ntext(r);';
    const out = translate(
      geminiStreamCallingExec(input),
      new GeminiStreamDecoder(ctx, toolNames),
      new ResponsesStreamEncoder(ctx, { model: 'gpt-5.6-terra' }),
    );
    const events = parseClientSse(out).map((event) => JSON.parse(event.data) as Record<string, unknown> & { type: string });
    const done = events.find((event) => event.type === 'response.output_item.done') as { item: Record<string, unknown> } | undefined;
    expect(done?.item).toMatchObject({ type: 'custom_tool_call', name: 'exec', namespace: 'functions', input, status: 'completed' });
    const deltas = events.filter((event) => event.type === 'response.custom_tool_call_input.delta').map((event) => event.delta);
    expect(deltas.join('')).toBe(input);
    expect(events.some((event) => event.type === 'response.function_call_arguments.delta')).toBe(false);
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('returns a whole exec call as a custom_tool_call too', () => {
    const ctx = goldenContext();
    const { toolNames } = encodeGeminiRequest({ ...decodeResponsesRequest(body), model: 'gemini-3-pro-preview' }, new WarningCollector());
    const answer = {
      candidates: [
        {
          index: 0,
          finishReason: 'STOP',
          content: { role: 'model', parts: [{ functionCall: { name: 'functions__exec', args: { input: 'text(1)' } } }] },
        },
      ],
      modelVersion: 'gemini-3-pro-preview',
    };
    const response = encodeResponsesResponse(decodeGeminiResponse(answer, ctx, toolNames), ctx, { model: 'gpt-5.6-terra' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'custom_tool_call', name: 'exec', namespace: 'functions', input: 'text(1)' }),
    ]);
  });

  it("sends Codex's follow-up to Gemini wrapped, with the stand-in signature, and the signature to no other upstream", () => {
    const ctx = goldenContext();
    const { toolNames } = encodeGeminiRequest({ ...decodeResponsesRequest(body), model: 'gemini-3-pro-preview' }, new WarningCollector());
    // What Codex got back from the streamed call: the item it will send in its next request.
    const out = translate(
      geminiStreamCallingExec('text("a\\"b")'),
      new GeminiStreamDecoder(ctx, toolNames),
      new ResponsesStreamEncoder(ctx, { model: 'gpt-5.6-terra' }),
    );
    const done = parseClientSse(out)
      .map((event) => JSON.parse(event.data) as { type: string; item?: Record<string, unknown> })
      .find((event) => event.type === 'response.output_item.done')?.item as Record<string, unknown>;
    const followUp = {
      ...body,
      input: [...(body.input as unknown[]), done, { type: 'custom_tool_call_output', call_id: done.call_id, output: 'a"b' }],
    };
    const ir = decodeResponsesRequest(followUp);
    const gemini = encodeGeminiRequest({ ...ir, model: 'gemini-3-pro-preview' }, new WarningCollector()).body as {
      contents: { role: string; parts: Record<string, unknown>[] }[];
    };
    const modelTurn = gemini.contents.find((content) => content.parts.some((part) => part.functionCall !== undefined));
    expect(modelTurn?.parts).toEqual([
      { functionCall: { name: 'functions__exec', args: { input: 'text("a\\"b")' } }, thoughtSignature: SKIP_SIGNATURE_VALIDATION },
    ]);
    const answer = gemini.contents.at(-1);
    expect(answer).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'functions__exec', response: { output: 'a"b' } } }] });
    // The signature reached Codex nowhere, so no other upstream can get it either.
    expect(out).not.toContain(SIGNATURE);
    expect(JSON.stringify(encodeChatRequest(ir, new WarningCollector()).body)).not.toContain(SIGNATURE);
  });
});
