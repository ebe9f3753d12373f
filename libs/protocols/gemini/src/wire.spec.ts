import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '@gw/ir';
import { SseParser } from '@gw/sse';
import type { InboundRoute } from '@gw/wire';
import { fixturesRoot } from '../../../../test/support/recordings';
import { geminiClientWire, geminiUpstreamWire } from './wire';
import { routeProblem } from './wire-route';

const recording = (name: string): Buffer => readFileSync(join(fixturesRoot(), 'upstream', 'gemini', name));
const match = (path: string, query = ''): InboundRoute | undefined => geminiClientWire.matchPath?.(path, query);

/** The error the wire answers a matched route with, as a Gemini client sees it. */
function refusal(path: string, query = ''): { status: number; body: unknown } | undefined {
  const route = match(path, query);
  if (route === undefined) throw new Error(`${path} did not match`);
  const problem = routeProblem(route);
  return problem === undefined ? undefined : geminiClientWire.errorResponse(problem);
}

describe('Gemini client routes', () => {
  it('serves generateContent and streamGenerateContent?alt=sse under v1beta and v1, the model from the path', () => {
    expect(match('/v1beta/models/gemini-2.5-flash:generateContent')).toEqual({
      endpoint: '/v1beta/models/{model}:generateContent',
      model: 'gemini-2.5-flash',
      stream: false,
    });
    expect(match('/v1beta/models/gemini-3-pro-preview:streamGenerateContent', 'alt=sse')).toEqual({
      endpoint: '/v1beta/models/{model}:streamGenerateContent',
      model: 'gemini-3-pro-preview',
      stream: true,
    });
    expect(match('/v1/models/gemini-2.0-flash-001:generateContent')?.model).toBe('gemini-2.0-flash-001');
    // The method follows the last colon: a model name may hold one (Ollama tags), or slashes (vendor prefixes).
    expect(match('/v1beta/models/qwen2.5:7b:generateContent')?.model).toBe('qwen2.5:7b');
    expect(match('/v1beta/models/openrouter/gpt-4o:streamGenerateContent', 'key=k&alt=sse')?.model).toBe('openrouter/gpt-4o');
    expect(match('/v1beta/models/caf%C3%A9:generateContent')?.model).toBe('café');
  });

  it('serves countTokens as a count operation under v1beta and v1, never streamed', () => {
    expect(match('/v1beta/models/gemini-2.5-flash:countTokens')).toEqual({
      endpoint: '/v1beta/models/{model}:countTokens',
      model: 'gemini-2.5-flash',
      stream: false,
      operation: 'count_tokens',
    });
    expect(match('/v1/models/qwen2.5:7b:countTokens', 'alt=sse')).toMatchObject({
      model: 'qwen2.5:7b',
      stream: false,
      operation: 'count_tokens',
    });
    expect(match('/v1beta/models/gemini-2.5-flash:generateContent')?.operation).toBeUndefined();
  });

  it('leaves other paths to the other protocols and to the 404 handler', () => {
    for (const path of [
      '/v1/chat/completions',
      '/v1/responses',
      '/v1beta/models',
      '/v1beta/models/gemini',
      '/v2/models/m:generateContent',
    ]) {
      expect(match(path)).toBeUndefined();
    }
  });

  it.each([
    ['/v1beta/models/../../admin/api:generateContent', 400],
    ['/v1beta/models/gemini/../x:generateContent', 400],
    ['/v1beta/models/%2e%2e/admin:generateContent', 400],
    ['/v1beta/models/gemini%2F..%2Fadmin:generateContent', 400],
    ['/v1beta/models/a%2fb:generateContent', 400],
    ['/v1beta/models/a%5Cb:generateContent', 400],
    ['/v1beta/models/a%00b:generateContent', 400],
    ['/v1beta/models/%E0%A4%A:generateContent', 400],
    ['/v1beta/models/:generateContent', 400],
    ['/v1beta/models/a//b:generateContent', 400],
    [`/v1beta/models/${'m'.repeat(300)}:generateContent`, 400],
    ['/v1beta/models/gemini-2.5-flash:embedContent', 404],
  ])('refuses %s in the Gemini envelope with %d', (path, status) => {
    const answer = refusal(path);
    expect(answer?.status).toBe(status);
    expect(answer?.body).toEqual({
      error: { code: status, message: expect.any(String) as string, status: status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT' },
    });
  });

  it('refuses a stream without alt=sse (the JSON-array stream is not served), naming the fix', () => {
    for (const query of ['', 'alt=json', 'key=k']) {
      const answer = refusal('/v1beta/models/gemini-2.5-flash:streamGenerateContent', query);
      expect(answer?.status).toBe(400);
      expect(JSON.stringify(answer?.body)).toContain('alt=sse');
    }
    expect(refusal('/v1beta/models/gemini-2.5-flash:generateContent', '')).toBeUndefined();
  });

  it('throws the refusal from decodeRequest, so the ingress answers it once the key is known', () => {
    const route = match('/v1beta/models/../x:generateContent') as InboundRoute;
    expect(() => geminiClientWire.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, route)).toThrow(GatewayError);
    const served = match('/v1beta/models/gemini-2.5-flash:streamGenerateContent', 'alt=sse') as InboundRoute;
    const ir = geminiClientWire.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, served);
    expect(ir).toMatchObject({ model: 'gemini-2.5-flash', stream: true });
  });
});

describe('Gemini client keys', () => {
  const key = (headers: Record<string, string>, query = ''): string | undefined => geminiClientWire.apiKey(headers, query);

  it('reads x-goog-api-key first, then ?key=, then the headers every route takes', () => {
    expect(key({ 'x-goog-api-key': ' g ', authorization: 'Bearer b' }, 'key=q')).toBe('g');
    expect(key({ authorization: 'Bearer b' }, 'alt=sse&key=q%2Bx')).toBe('q+x');
    expect(key({ authorization: 'Bearer b' }, 'alt=sse')).toBe('b');
    expect(key({ 'x-api-key': 'x' })).toBe('x');
    expect(key({}, 'key=')).toBeUndefined();
    expect(key({})).toBeUndefined();
  });
});

describe('Gemini upstream requests', () => {
  it('names the model and the stream in the path, under the v1beta base URL', () => {
    expect(geminiUpstreamWire.requestPath('gemini-2.5-flash', false)).toBe('/models/gemini-2.5-flash:generateContent');
    expect(geminiUpstreamWire.requestPath('gemini-3-pro-preview', true)).toBe('/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    // Google's own resource name works as a channel model too.
    expect(geminiUpstreamWire.requestPath('models/gemini-2.5-flash', false)).toBe('/models/gemini-2.5-flash:generateContent');
  });

  it('never lets a model name reach another path or query of the upstream', () => {
    for (const model of ['../../v1/files', 'a/b', 'a?key=x', 'a#b', '%2e%2e', 'a b']) {
      const path = geminiUpstreamWire.requestPath(model, true);
      const url = new URL(`https://generativelanguage.googleapis.com/v1beta${path}`);
      expect(url.pathname.startsWith('/v1beta/models/')).toBe(true);
      expect(url.pathname.split('/')).toHaveLength(4);
      expect([...url.searchParams.keys()]).toEqual(['alt']);
    }
  });

  it('signs with x-goog-api-key, and only with it', () => {
    expect(geminiUpstreamWire.requestHeaders('AIza-key')).toEqual({ 'x-goog-api-key': 'AIza-key' });
  });
});

describe('Gemini pass-through', () => {
  const hooks = geminiClientWire.passthrough;
  const events = (bytes: Buffer) => {
    const parser = new SseParser();
    return [...parser.push(bytes), ...parser.end()];
  };

  it('sends the body as the bytes it came as (the model is in the URL)', () => {
    const bytes = Buffer.from('{"contents": [{"parts":[{"text":"h\\u00e9"}]}]}');
    expect(hooks.upstreamBody({ value: JSON.parse(bytes.toString()) as Record<string, unknown>, bytes }, 'mapped', true)).toBe(bytes);
    // Fields to remove (none of Gemini's channels has such quirks today) go in one edit of the bytes.
    const withExtra = Buffer.from('{"labels": {"a":"b"}, "contents": [{"parts":[{"text":"h\\u00e9"}]}]}');
    const value = JSON.parse(withExtra.toString()) as Record<string, unknown>;
    expect(hooks.upstreamBody({ value, bytes: withExtra }, 'mapped', true, ['labels']).toString()).toBe(
      '{"contents": [{"parts":[{"text":"h\\u00e9"}]}]}',
    );
  });

  it('reads usage, identity and finish reasons of a whole answer', () => {
    const answer = JSON.parse(recording('text.json').toString()) as Record<string, unknown>;
    expect(hooks.usageOf(answer)).toMatchObject({ inputTokens: 9, outputTokens: 272, reasoningTokens: 244 });
    expect(hooks.identityOf(answer)).toEqual({ id: 'Un6LacrVMcjUxs0PmJfWoQc', model: 'gemini-3-pro-preview' });
    expect(hooks.finishReasonsOf(answer)).toEqual(['stop']);
    expect(hooks.isErrorAnswer(answer)).toBe(false);
    expect(hooks.isErrorAnswer({ error: { code: 500, message: 'x', status: 'INTERNAL' } })).toBe(true);
  });

  /**
   * What the relay does with each block of complete events: everything before the event at the inspection
   * point goes out unparsed, the events from there on are inspected, by the one inspector of the stream.
   */
  const relayed = (blocks: Buffer[], inspector = hooks.createInspector()) => {
    const verdicts = [];
    let parsed = 0;
    for (const block of blocks) {
      const point = inspector.inspectionPoint(block);
      if (point === -1) continue;
      const inspected = events(block.subarray(block.lastIndexOf('data:', point)));
      parsed += inspected.length;
      for (const event of inspected) verdicts.push(inspector.inspect(event, false));
    }
    return { verdicts, parsed, finish: verdicts.at(-1)?.answer?.finishReason };
  };
  /** A recording as the relay may get it: one block, or one block per event. */
  const blocksOf = (stream: Buffer, split: boolean): Buffer[] =>
    split
      ? stream
          .toString('utf8')
          .split(/(?<=\n\n)/)
          .map((text) => Buffer.from(text))
      : [stream];

  it.each(['text.sse', 'reasoning.sse'])(
    '%s: only the last chunk is parsed, and completes the answer with the cumulative usage',
    (name) => {
      const stream = recording(name);
      const { verdicts, parsed, finish } = relayed([stream]);
      expect(parsed).toBe(1);
      expect(verdicts[0]?.terminal).toBe(true);
      const recordedLast = JSON.parse(events(stream).at(-1)?.data ?? '{}') as { usageMetadata: { promptTokenCount: number } };
      expect(verdicts[0]?.usage?.inputTokens).toBe(recordedLast.usageMetadata.promptTokenCount);
      expect(finish).toBe('stop');
    },
  );

  describe.each([false, true])('function calls (one block per event: %s)', (split) => {
    it.each(['tool-call.sse', 'tool-call-arguments.sse'])(
      '%s: STOP after a call in an earlier chunk is tool_calls, as the translating decoder reads it',
      (name) => {
        const stream = recording(name);
        const { verdicts, finish } = relayed(blocksOf(stream, split));
        expect(verdicts.filter((verdict) => verdict.terminal)).toHaveLength(1);
        expect(verdicts.at(-1)?.terminal).toBe(true);
        expect(finish).toBe('tool_calls');
      },
    );
  });

  it('tool-call.sse: the call is in the chunk before the finish, which alone reads as a plain stop (the state is what tells)', () => {
    const stream = recording('tool-call.sse');
    const chunks = events(stream);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]?.data).toContain('"functionCall"');
    expect(chunks[1]?.data).not.toContain('"functionCall"');
    expect(hooks.createInspector().inspect(chunks[1]!, false).answer?.finishReason).toBe('stop');
    // Both chunks are parsed: the call's, then the finish.
    expect(relayed([stream]).parsed).toBe(2);
  });

  it('stops parsing call chunks once a call was seen: later ones go out unparsed', () => {
    const [call, finish] = recording('tool-call.sse')
      .toString('utf8')
      .split(/(?<=\n\n)/);
    // A call and the finish, in one block: from a fresh inspector's view the call chunk must be parsed.
    const later = Buffer.from(call! + finish!);
    expect(relayed([later]).parsed).toBe(2);
    // After a call was seen in an earlier block, only the finishing chunk is.
    const inspector = hooks.createInspector();
    expect(relayed([Buffer.from(call!)], inspector).parsed).toBe(1);
    const { parsed, finish: reason } = relayed([later], inspector);
    expect(parsed).toBe(1);
    expect(reason).toBe('tool_calls');
  });

  it('each stream gets its own inspector: a call in one stream does not make another one tool_calls', () => {
    const first = hooks.createInspector();
    expect(relayed([recording('tool-call.sse')], first).finish).toBe('tool_calls');
    expect(relayed([recording('text.sse')]).finish).toBe('stop');
    expect(first).not.toBe(hooks.createInspector());
  });

  it('reports an in-stream error chunk, forwarded as it came', () => {
    const verdict = hooks
      .createInspector()
      .inspect({ data: '{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}' }, false);
    expect(verdict).toEqual({ forward: true, errorMessage: 'overloaded' });
  });

  it('calls a stream cut before its finishing chunk incomplete (no terminal verdict)', () => {
    const stream = recording('text.sse');
    const cut = stream.subarray(0, stream.lastIndexOf('data:'));
    expect(events(cut).some((event) => hooks.createInspector().inspect(event, false).terminal === true)).toBe(false);
    expect(hooks.createInspector().completesIn(cut)).toBe(false);
  });
});
