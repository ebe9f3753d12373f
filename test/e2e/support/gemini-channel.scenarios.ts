import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { assertCodexSucceeded, expectCodexRanEcho } from '../../support/codex-assertions';
import { runCodex } from '../../support/codex-runner';
import type { RecordedRequest } from '../../support/fake-upstream';
import { codexExecCommand } from '../../support/templated-replay';
import { textAnswer, toolRoundTrip } from '../../support/upstream-rules';
import { RECORDED_USAGE, uniqueMarker, usageColumns, waitForRequestLogs, type E2eContextGetter } from './e2e-context';
import { MODELS } from './gateway-under-test';

/** Google's documented stand-in for a call signature the client could not keep (Chat and Responses clients keep none). */
const SKIP_SIGNATURE = 'skip_thought_signature_validator';
const GEMINI_STREAM_PATH = `/v1beta/models/${MODELS.geminiUpstream}:streamGenerateContent`;
const GEMINI_WHOLE_PATH = `/v1beta/models/${MODELS.geminiUpstream}:generateContent`;

interface GeminiPart {
  text?: string;
  functionCall?: { name: string; args: Record<string, unknown> };
  functionResponse?: { name: string; response: Record<string, unknown> };
  thoughtSignature?: string;
}

interface GeminiRequestBody {
  contents: { role: string; parts: GeminiPart[] }[];
  systemInstruction?: { parts: GeminiPart[] };
  tools?: { functionDeclarations?: { name: string; parameters?: Record<string, unknown> }[] }[];
}

const WEATHER_TOOL: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function expectGeminiCall(request: RecordedRequest | undefined, stream: boolean, key: string): GeminiRequestBody {
  expect(request).toMatchObject({
    method: 'POST',
    path: stream ? GEMINI_STREAM_PATH : GEMINI_WHOLE_PATH,
    query: stream ? { alt: 'sse' } : {},
  });
  expect(request?.headers['x-goog-api-key']).toBe(key);
  expect(request?.headers['authorization']).toBeUndefined();
  return request?.body as GeminiRequestBody;
}

function parts(body: GeminiRequestBody): GeminiPart[] {
  return body.contents.flatMap((content) => content.parts);
}

/** The openai SDK (Chat and Responses, streamed and not, a tool round trip) on a `gemini` channel. */
export function openAiSdkOnGeminiScenarios(context: E2eContextGetter): void {
  describe('openai SDK on a gemini channel (translated)', () => {
    const client = (): OpenAI =>
      new OpenAI({ apiKey: context().gateway.apiKey, baseURL: context().gateway.baseUrl, maxRetries: 0, timeout: 20_000 });

    it('chat.completions.create: the answer, Gemini usage in OpenAI terms, a request-log row on the Gemini channel', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('chat-on-gemini');
      upstream.script(textAnswer(answer));

      const { data: completion, response } = await client()
        .chat.completions.create({
          model: MODELS.sdkGemini,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hello' },
          ],
        })
        .withResponse();

      expect(completion.choices[0]?.message.content).toBe(answer);
      expect(completion.choices[0]?.finish_reason).toBe('stop');
      expect(completion.model).toBe(MODELS.sdkGemini);
      expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 272, total_tokens: 281 });
      expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(244);
      const body = expectGeminiCall(upstream.requests[0], false, gateway.channelKeys.gemini);
      expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
      expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Hello' }] }]);
      const rows = await waitForRequestLogs(gateway, { requestId: response.headers.get('ah-request-id') ?? 'missing' }, 1);
      expect(rows[0]).toMatchObject({
        client_protocol: 'openai-chat',
        requested_model: MODELS.sdkGemini,
        mapped_model: MODELS.geminiUpstream,
        channel_name: gateway.channelNames.gemini,
        status: 200,
        ...usageColumns(RECORDED_USAGE.geminiTextJson),
      });
    });

    it('chat.completions.create streamed with include_usage: deltas, a stop, the usage chunk', async () => {
      const { gateway, upstream } = context();
      const answer = uniqueMarker('chat-stream-on-gemini');
      upstream.script(textAnswer(answer));

      const stream = await client().chat.completions.create({
        model: MODELS.sdkGemini,
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(answer);
      expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
      expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 9, total_tokens: 217 });
      expectGeminiCall(upstream.requests[0], true, gateway.channelKeys.gemini);
    });

    it('responses.create, whole and streamed: the output text and a completed response', async () => {
      const { gateway, upstream } = context();
      const whole = uniqueMarker('responses-on-gemini');
      upstream.script(textAnswer(whole));
      const response = await client().responses.create({ model: MODELS.sdkGemini, input: 'Hello' });
      expect(response.output_text).toBe(whole);
      expect(response.status).toBe('completed');
      expectGeminiCall(upstream.requests[0], false, gateway.channelKeys.gemini);

      upstream.reset();
      const streamed = uniqueMarker('responses-stream-on-gemini');
      upstream.script(textAnswer(streamed));
      const final = await client().responses.stream({ model: MODELS.sdkGemini, input: 'Hello' }).finalResponse();
      expect(final.output_text).toBe(streamed);
      expect(final.usage).toMatchObject({ input_tokens: 9, total_tokens: 217 });
      expectGeminiCall(upstream.requests[0], true, gateway.channelKeys.gemini);
    });

    it('a streamed Chat tool round trip: the call as tool_calls, the result back to Gemini as a functionResponse', async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('chat-tool-on-gemini');
      const answer = `Sunny in ${marker}.`;
      upstream.script(toolRoundTrip({ toolCall: { name: 'get_weather', arguments: { city: marker } }, answerText: answer }));
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather?' }];

      const first = await client()
        .chat.completions.stream({ model: MODELS.sdkGemini, messages, tools: [WEATHER_TOOL] })
        .finalChatCompletion();
      const call = first.choices[0]?.message.tool_calls?.[0];
      expect(first.choices[0]?.finish_reason).toBe('tool_calls');
      expect(call?.type === 'function' ? { name: call.function.name, args: JSON.parse(call.function.arguments) as unknown } : call).toEqual(
        {
          name: 'get_weather',
          args: { city: marker },
        },
      );
      messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call!.id, content: `sunny in ${marker}` });
      const second = await client().chat.completions.create({ model: MODELS.sdkGemini, messages, tools: [WEATHER_TOOL], stream: true });
      let text = '';
      for await (const chunk of second) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(answer);

      const declared = expectGeminiCall(upstream.requests[0], true, gateway.channelKeys.gemini).tools?.[0]?.functionDeclarations;
      expect(declared).toEqual([
        expect.objectContaining({
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        }),
      ]);
      const followUp = parts(expectGeminiCall(upstream.requests[1], true, gateway.channelKeys.gemini));
      expect(followUp.find((part) => part.functionCall !== undefined)).toEqual({
        functionCall: { name: 'get_weather', args: { city: marker } },
        thoughtSignature: SKIP_SIGNATURE,
      });
      expect(followUp.find((part) => part.functionResponse !== undefined)?.functionResponse).toEqual({
        name: 'get_weather',
        response: { output: `sunny in ${marker}` },
      });
    });
  });
}

/** The real Codex CLI on a `gemini` channel: a plain answer, its exec_command round trip, and its code-mode exec (a freeform tool). */
export function codexOnGeminiScenarios(context: E2eContextGetter): void {
  describe('Codex CLI through a gemini channel', () => {
    it('runs exec_command for a Gemini function call and sends the output back as a functionResponse (tool round trip)', async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('codex-gemini-tool');
      const answer = `The command printed ${marker}.`;
      upstream.script(toolRoundTrip({ toolCall: codexExecCommand(`echo ${marker}`), answerText: answer }));

      const run = await runCodex({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        prompt: 'Run echo with the marker.',
        model: MODELS.codexGemini,
      });

      assertCodexSucceeded(run, gateway.output());
      expectCodexRanEcho(run, marker, answer);
      expect(upstream.requests.map((request) => request.path)).toEqual([GEMINI_STREAM_PATH, GEMINI_STREAM_PATH]);
      const first = expectGeminiCall(upstream.requests[0], true, gateway.channelKeys.gemini);
      const declared = (first.tools ?? []).flatMap((tool) => tool.functionDeclarations ?? []).map((declaration) => declaration.name);
      // Codex's namespace tool flattened; its web_search built-in dropped.
      expect(declared).toEqual(expect.arrayContaining(['exec_command', 'multi_agent_v1__spawn_agent']));
      expect(upstream.requests[0]?.rawBody).not.toContain('web_search');
      // Codex's developer messages are Gemini's system instruction.
      expect(first.systemInstruction?.parts.length).toBeGreaterThan(0);

      const followUp = parts(expectGeminiCall(upstream.requests[1], true, gateway.channelKeys.gemini));
      expect(followUp.find((part) => part.functionCall !== undefined)).toEqual({
        functionCall: { name: 'exec_command', args: { cmd: `echo ${marker}` } },
        thoughtSignature: SKIP_SIGNATURE,
      });
      const result = followUp.find((part) => part.functionResponse !== undefined)?.functionResponse;
      expect(result?.name).toBe('exec_command');
      expect(JSON.stringify(result?.response)).toContain(marker);

      const rows = await waitForRequestLogs(gateway, { conversationKey: run.threadId }, 2);
      expect(
        rows.map((row) => ({ status: row.status, channel: row.channel_name, mapped: row.mapped_model, total: row.total_tokens })),
      ).toEqual([
        { status: 200, channel: gateway.channelNames.gemini, mapped: MODELS.geminiUpstream, total: RECORDED_USAGE.geminiToolStream.total },
        { status: 200, channel: gateway.channelNames.gemini, mapped: MODELS.geminiUpstream, total: RECORDED_USAGE.geminiTextStream.total },
      ]);
    });

    it("with a newer model name: exec (a freeform tool) declared with one string parameter, and Codex runs the model's code", async () => {
      const { gateway, upstream } = context();
      const marker = uniqueMarker('codex-gemini-exec');
      const answer = `Code mode printed ${marker}.`;
      const code = `const result = await tools.exec_command({ cmd: "echo ${marker}" });\ntext(result);`;
      upstream.script(toolRoundTrip({ toolCall: { name: 'functions__exec', arguments: { input: code } }, answerText: answer }));

      const run = await runCodex({
        baseUrl: gateway.baseUrl,
        apiKey: gateway.apiKey,
        prompt: 'Run echo.',
        model: MODELS.codexGeminiAdditionalTools,
      });

      assertCodexSucceeded(run, gateway.output());
      expect(run.lastMessage).toBe(answer);
      const first = expectGeminiCall(upstream.requests[0], true, gateway.channelKeys.gemini);
      const exec = (first.tools ?? [])
        .flatMap((tool) => tool.functionDeclarations ?? [])
        .find((declaration) => declaration.name === 'functions__exec');
      expect(exec?.parameters).toEqual({
        type: 'object',
        properties: { input: { type: 'string', description: 'The raw input text.' } },
        required: ['input'],
      });
      const followUp = parts(expectGeminiCall(upstream.requests[1], true, gateway.channelKeys.gemini));
      expect(followUp.find((part) => part.functionCall !== undefined)?.functionCall).toEqual({
        name: 'functions__exec',
        args: { input: code },
      });
      const result = followUp.find((part) => part.functionResponse !== undefined)?.functionResponse;
      expect(result?.name).toBe('functions__exec');
      expect(JSON.stringify(result?.response)).toContain(marker);
    });
  });
}
