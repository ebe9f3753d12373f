import { expectCodexRanEcho } from '../../support/codex-assertions';
/**
 * Proves the end-to-end support code without the gateway: the real Codex CLI talks straight to the
 * fake upstream's Responses endpoint, which replays (templated) real recordings.
 */
import { cleanupCodexDirectories, completedItems, runCodex } from '../../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { getFreePort } from '../../support/ports';
import { loadRecordedStream, parseEventJson } from '../../support/recordings';
import { codexExecCommand, TEMPLATE_SOURCES } from '../../support/templated-replay';
import { toolRoundTrip } from '../../support/upstream-rules';

jest.setTimeout(90_000);

const API_KEY = 'sk-selftest-codex';

function recordedOutputText(fixture: string, response?: number): string {
  const done = loadRecordedStream(fixture, response)
    .map(parseEventJson)
    .find((json) => json?.['type'] === 'response.output_text.done');
  const text = done?.['text'];
  if (typeof text !== 'string') throw new Error(`no response.output_text.done in ${fixture}`);
  return text;
}

function recordedCallId(): string {
  const added = loadRecordedStream(TEMPLATE_SOURCES.responsesToolStream, TEMPLATE_SOURCES.responsesToolStreamResponse)
    .map(parseEventJson)
    .find((json) => json?.['type'] === 'response.output_item.added');
  const callId = (added?.['item'] as { call_id?: unknown } | undefined)?.call_id;
  if (typeof callId !== 'string') throw new Error('no call_id in the recorded function_call');
  return callId;
}

describe('Codex CLI against the fake upstream (no gateway)', () => {
  let upstream: FakeUpstream;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
  });
  afterEach(() => upstream.reset());
  afterAll(async () => {
    await upstream.close();
    await cleanupCodexDirectories();
  });

  it('prints the text of the replayed openai-responses/stop.sse recording as its last message', async () => {
    upstream.enqueue({ fixture: 'openai-responses/stop.sse', chunkDelayMs: 1 });

    const run = await runCodex({ baseUrl: upstream.url, apiKey: API_KEY, prompt: 'What is the weather in New York City?' });

    expect({ exitCode: run.exitCode, timedOut: run.timedOut }).toEqual({ exitCode: 0, timedOut: false });
    expect(run.lastMessage).toBe(recordedOutputText('openai-responses/stop.sse'));
    expect(run.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(completedItems(run, 'agent_message').map((item) => item['text'])).toEqual([run.lastMessage]);

    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/responses');
    expect(request?.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['thread-id']).toBe(run.threadId);
    expect(request?.body).toMatchObject({ model: 'gpt-5', stream: true, store: false });
    expect(request?.completed).toBe(true);
  });

  it('runs exec_command from a templated Responses function_call and sends the result back (tool round trip)', async () => {
    const marker = `codex-tool-marker-${process.pid}-${Date.now()}`;
    const answer = `The command printed ${marker}. Done (answer-${Date.now()}).`;
    upstream.script(toolRoundTrip({ toolCall: codexExecCommand(`echo ${marker}`), answerText: answer }));

    const run = await runCodex({
      baseUrl: upstream.url,
      apiKey: API_KEY,
      prompt: 'Run echo with the marker, then tell me what it printed.',
    });

    expect(run.exitCode).toBe(0);
    expectCodexRanEcho(run, marker, answer);

    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    const followUp = upstream.requests[1]?.body as { input: Array<Record<string, unknown>> };
    const call = followUp.input.find((item) => item['type'] === 'function_call');
    const output = followUp.input.find((item) => item['type'] === 'function_call_output');
    // Codex echoes the recorded call back with only the name and arguments we substituted.
    expect(call).toMatchObject({ name: 'exec_command', arguments: JSON.stringify({ cmd: `echo ${marker}` }), call_id: recordedCallId() });
    expect(output?.['call_id']).toBe(recordedCallId());
    expect(String(output?.['output'])).toContain(marker);
  });

  it('resumes the thread in a second `exec resume` run with the same CODEX_HOME', async () => {
    const first = await runCodex({ baseUrl: upstream.url, apiKey: API_KEY, prompt: 'First turn.' });
    expect(first.exitCode).toBe(0);

    const second = await runCodex({
      baseUrl: upstream.url,
      apiKey: API_KEY,
      prompt: 'Second turn.',
      codexHome: first.codexHome,
      workdir: first.workdir,
      resumeThreadId: first.threadId,
    });

    expect(second.exitCode).toBe(0);
    expect(second.threadId).toBe(first.threadId);
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]?.headers['thread-id']).toBe(first.threadId);
    const secondInput = JSON.stringify((upstream.requests[1]?.body as { input: unknown }).input);
    expect(secondInput).toContain('First turn.');
    expect(secondInput).toContain('Second turn.');
  });

  it('reports an upstream HTTP error instead of an answer', async () => {
    upstream.enqueue({
      status: 401,
      error: {
        error: { message: 'Incorrect API key provided: selftest.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
      },
    });

    const run = await runCodex({ baseUrl: upstream.url, apiKey: API_KEY, prompt: 'Hello?' });

    expect(run.exitCode).not.toBe(0);
    expect(run.lastMessage ?? '').toBe('');
    expect(`${run.stdout}\n${run.stderr}`).toContain('Incorrect API key provided: selftest.');
    expect(upstream.requests).toHaveLength(1);
  });

  it('fails the turn when the upstream drops the connection mid-stream', async () => {
    upstream.enqueue({ fixture: 'openai-responses/stop.sse', disconnectAfterEvents: 6 });

    const run = await runCodex({ baseUrl: upstream.url, apiKey: API_KEY, prompt: 'Hello?' });

    expect(run.exitCode).toBe(1);
    expect(run.events.find((event) => event.type === 'turn.failed')).toMatchObject({
      error: { message: expect.stringContaining('stream disconnected before completion') },
    });
    expect(upstream.requests[0]).toMatchObject({ disconnected: true, completed: false });
  });

  it('is stopped at once, not after the timeout, when nothing listens at the base URL', async () => {
    const closedPort = await getFreePort();

    const run = await runCodex({ baseUrl: `http://127.0.0.1:${closedPort}/v1`, apiKey: API_KEY, prompt: 'Hello?', timeoutMs: 30_000 });

    expect({ stoppedOnReconnect: run.stoppedOnReconnect, timedOut: run.timedOut }).toEqual({ stoppedOnReconnect: true, timedOut: false });
    expect(run.durationMs).toBeLessThan(15_000);
  });
});
