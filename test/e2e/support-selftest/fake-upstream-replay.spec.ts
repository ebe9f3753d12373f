/**
 * Plain-HTTP checks of the fake upstream: byte-for-byte replay, streaming in several writes, templated
 * recordings as the official `openai` SDK sees them, errors, delays, stalls and client aborts.
 */
import { request as httpRequest } from 'node:http';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { openAiError, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { fixturesRoot, loadRecordedStream, parseEventJson, readUpstreamRecording, splitSseEvents } from '../../support/recordings';
import {
  chatTextSse,
  chatToolCallJson,
  chatToolCallSse,
  codexExecCommand,
  responsesToolCallSse,
  splitIntoPieces,
  TEMPLATE_SOURCES,
} from '../../support/templated-replay';
import { hasToolResult, textAnswer, toolRoundTrip } from '../../support/upstream-rules';

jest.setTimeout(30_000);

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** How many separate reads the body arrived in. */
  reads: number;
}

function post(url: string, body: unknown): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-raw' }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), reads: chunks.length }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

/** Removes the values a template substitutes, so everything else can be compared with the recording. */
function withoutSubstitutedFields(json: Record<string, unknown> | undefined): unknown {
  return JSON.parse(JSON.stringify(json ?? null), (key, value: unknown) =>
    typeof value === 'string' && ['name', 'arguments', 'delta'].includes(key) ? '<substituted>' : value,
  );
}

describe('fake upstream replay', () => {
  let upstream: FakeUpstream;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    client = new OpenAI({ apiKey: 'sk-selftest-sdk', baseURL: upstream.url, maxRetries: 0 });
  });
  afterEach(() => upstream.reset());
  afterAll(() => upstream.close());

  it('splits every recording into events that join back to the exact file bytes', () => {
    for (const family of ['openai-chat', 'openai-responses', 'anthropic', 'gemini']) {
      for (const file of readdirSync(join(fixturesRoot(), 'upstream', family)).filter((name) => name.endsWith('.sse'))) {
        const text = readUpstreamRecording(`${family}/${file}`);
        const events = splitSseEvents(text);
        expect(Buffer.from(events.map((event) => event.raw).join('')).equals(Buffer.from(text))).toBe(true);
        expect(events).toHaveLength(text.split('\n\n').length - 1);
      }
    }
  });

  it('replays openai-chat/text.sse byte for byte, in several writes, and records the request', async () => {
    upstream.enqueue({ fixture: 'openai-chat/text.sse', chunkDelayMs: 2, eventsPerChunk: 20 });

    const response = await post(`${upstream.url}/chat/completions`, {
      model: 'mapped-model',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(response.body.equals(Buffer.from(readUpstreamRecording('openai-chat/text.sse')))).toBe(true);
    expect(response.reads).toBeGreaterThan(5);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'mapped-model', stream: true },
      reply: 'fixture openai-chat/text.sse',
      aborted: false,
      completed: true,
    });
    expect(upstream.requests[0]?.headers['authorization']).toBe('Bearer sk-raw');
  });

  it('replays one response of a multi-response recording and refuses to guess which', async () => {
    upstream.enqueue({ fixture: 'openai-responses/reasoning-encrypted.sse', response: 3 });
    const response = await post(`${upstream.url}/responses`, { model: 'm', stream: true, input: 'hi' });
    const expected = loadRecordedStream('openai-responses/reasoning-encrypted.sse', 3)
      .map((event) => event.raw)
      .join('');
    expect(response.body.toString('utf8')).toBe(expected);
    expect(response.body.toString('utf8')).toContain('The final result is **570**.');

    upstream.enqueue({ fixture: 'openai-responses/reasoning-encrypted.sse' });
    const refused = await post(`${upstream.url}/responses`, { model: 'm', stream: true, input: 'hi' });
    expect(refused.status).toBe(500);
    expect(refused.body.toString('utf8')).toContain('holds 4 responses');
  });

  it('templates openai-chat/tool.sse into an exec_command call the openai SDK reads back', async () => {
    const command = 'echo "quoted" \\ back\\slash ünïcode ✓';
    upstream.enqueue({ sse: chatToolCallSse(codexExecCommand(command)), chunkDelayMs: 1 });

    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'run it' }] });
    let name = '';
    let args = '';
    let argumentDeltas = 0;
    let finishReason: string | null | undefined;
    let callId: string | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const toolCall = choice?.delta.tool_calls?.[0];
      if (toolCall?.id) callId = toolCall.id;
      if (toolCall?.function?.name) name += toolCall.function.name;
      if (toolCall?.function?.arguments) {
        args += toolCall.function.arguments;
        argumentDeltas += 1;
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }

    expect(name).toBe('exec_command');
    expect(JSON.parse(args)).toEqual({ cmd: command });
    expect(argumentDeltas).toBe(7); // as many argument deltas as the recording
    expect(finishReason).toBe('tool_calls');
    expect(callId).toBe('call_ZAluvDS2Cy3QOnYmftmVCAWR'); // the recording's own id
  });

  it('changes nothing in a templated recording but the substituted values', () => {
    const recorded = splitSseEvents(readUpstreamRecording(TEMPLATE_SOURCES.chatToolStream));
    const templated = splitSseEvents(chatToolCallSse(codexExecCommand('ls -la')));
    expect(templated).toHaveLength(recorded.length);
    templated.forEach((event, index) => {
      expect(withoutSubstitutedFields(parseEventJson(event))).toEqual(withoutSubstitutedFields(parseEventJson(recorded[index]!)));
    });
    expect(templated[templated.length - 1]?.raw).toBe(recorded[recorded.length - 1]?.raw); // data: [DONE]

    const recordedResponses = loadRecordedStream(TEMPLATE_SOURCES.responsesToolStream, TEMPLATE_SOURCES.responsesToolStreamResponse);
    const templatedResponses = splitSseEvents(responsesToolCallSse(codexExecCommand('ls -la')));
    expect(templatedResponses.map((event) => event.eventName)).toEqual(recordedResponses.map((event) => event.eventName));
    templatedResponses.forEach((event, index) => {
      expect(withoutSubstitutedFields(parseEventJson(event))).toEqual(withoutSubstitutedFields(parseEventJson(recordedResponses[index]!)));
    });
    // The recorded tools echo keeps the recorded tool name; only the function_call items change.
    const completed = parseEventJson(templatedResponses[templatedResponses.length - 1]!);
    expect(JSON.stringify(completed)).toContain('"name":"calculator"');
    expect(completed).toMatchObject({
      response: { output: [{ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"ls -la"}' }] },
    });

    // Substituting the recorded values gives back the recording byte for byte (non-streamed body).
    expect(chatToolCallJson({ name: 'get_weather', arguments: '{"location":"New York City"}' })).toBe(
      readUpstreamRecording(TEMPLATE_SOURCES.chatToolJson),
    );
  });

  it('splits values into pieces without breaking surrogate pairs', () => {
    expect(splitIntoPieces('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
    expect(splitIntoPieces('ab', 4)).toEqual(['a', 'b', '', '']);
  });

  it('serves the templated text recording and the non-streamed tool call through the SDK', async () => {
    const answer = `unique-answer-${Date.now()} with "quotes" and\nnewline`;
    upstream.script(textAnswer(answer));
    const stream = await client.chat.completions.create({
      model: 'gpt-4.1-nano',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(answer);
    expect(splitSseEvents(chatTextSse(answer))).toHaveLength(splitSseEvents(readUpstreamRecording('openai-chat/text.sse')).length);

    const responsesText = await client.responses.create({ model: 'gpt-4o', input: 'hi' });
    expect(responsesText.output_text).toBe(answer);

    upstream.script(toolRoundTrip({ toolCall: codexExecCommand('pwd'), answerText: answer }));
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'run pwd' }] });
    const toolCall = completion.choices[0]?.message.tool_calls?.[0];
    expect(toolCall?.type === 'function' ? toolCall.function : undefined).toEqual({ name: 'exec_command', arguments: '{"cmd":"pwd"}' });
  });

  it('switches from the tool call to the answer once a tool result is in the request', async () => {
    const answer = `round-trip-answer-${Date.now()}`;
    upstream.script(toolRoundTrip({ toolCall: codexExecCommand('echo hi'), answerText: answer }));
    const first = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'go' }] });
    const call = first.choices[0]?.message.tool_calls?.[0];
    if (!call || call.type !== 'function') throw new Error('expected a function tool call');
    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'hi' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe(answer);
    expect(upstream.requests.map((request) => hasToolResult(request.body))).toEqual([false, true]);
  });

  it('answers with an HTTP error status and JSON body', async () => {
    upstream.enqueue(openAiError(429));
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({
      status: 429,
      code: 'insufficient_quota',
    });
  });

  it('lists models on GET /v1/models and does not consume queued replies for it', async () => {
    upstream.enqueue({ fixture: 'openai-chat/tool.json' });
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o');
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('delays the first byte', async () => {
    upstream.enqueue({ fixture: 'openai-chat/tool.json', firstByteDelayMs: 300 });
    const started = Date.now();
    await post(`${upstream.url}/chat/completions`, { model: 'm', messages: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('stalls mid-stream and records that the client aborted', async () => {
    upstream.enqueue({ fixture: 'openai-chat/text.sse', stallAfterEvents: 3 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { signal: controller.signal },
    );
    const received: string[] = [];
    try {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '');
        if (received.length === 3) controller.abort();
      }
    } catch (error) {
      // Depending on timing the SDK ends the iteration quietly or throws an abort error; both are fine here.
      expect(String(error)).toMatch(/abort/i);
    }
    expect(received).toEqual(['', '**', 'Holiday']);
    await upstream.waitUntil(() => upstream.requests[0]?.aborted === true, 'the client abort');
    expect(upstream.requests[0]).toMatchObject({ aborted: true, completed: false });
  });

  it('drops the connection mid-stream on request', async () => {
    upstream.enqueue({ fixture: 'openai-chat/text.sse', disconnectAfterEvents: 4 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(received).toEqual(['', '**', 'Holiday', ' Name']);
    expect(upstream.requests[0]).toMatchObject({ disconnected: true, aborted: false, completed: false });
  });

  it('sends raw body bytes with any status and headers', async () => {
    upstream.enqueue({ raw: '<html>oops</html>', status: 200, headers: { 'content-type': 'text/html' } });
    const response = await post(`${upstream.url}/chat/completions`, { model: 'm', messages: [] });
    expect({ status: response.status, type: response.headers['content-type'], body: response.body.toString('utf8') }).toEqual({
      status: 200,
      type: 'text/html',
      body: '<html>oops</html>',
    });
  });

  it('resets the connection before the status line', async () => {
    upstream.enqueue({ resetBeforeHeaders: true });
    await expect(post(`${upstream.url}/chat/completions`, { model: 'm', messages: [] })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(upstream.requests[0]).toMatchObject({ disconnected: true, completed: false, status: undefined });
  });

  it('drops the connection after the first bytes of a non-streamed body', async () => {
    upstream.enqueue({ fixture: 'openai-chat/text.json', disconnectAfterBytes: 100 });
    const received: Buffer[] = [];
    const outcome = await new Promise<string>((resolve) => {
      const request = httpRequest(`${upstream.url}/chat/completions`, { method: 'POST', agent: false }, (response) => {
        response.on('data', (chunk: Buffer) => received.push(chunk));
        response.on('end', () => resolve('ended'));
        response.on('error', (error) => resolve(`error: ${error.message}`));
      });
      request.on('error', (error) => resolve(`request error: ${error.message}`));
      request.end('{}');
    });
    expect(outcome).not.toBe('ended');
    expect(Buffer.concat(received).toString('utf8')).toBe(readUpstreamRecording('openai-chat/text.json').slice(0, 100));
    expect(upstream.requests[0]).toMatchObject({ disconnected: true, completed: false });
  });
});
