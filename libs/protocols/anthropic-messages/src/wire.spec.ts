import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '@gw/ir';
import { SseParser, type SseEvent } from '@gw/sse';
import { anthropicClientWire, anthropicUpstreamWire } from './wire';

const UPSTREAM = join(__dirname, '../../../../test/fixtures/upstream/anthropic');
const hooks = anthropicClientWire.passthrough;

function events(name: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(readFileSync(join(UPSTREAM, name))), ...parser.end()];
}

/** What the pass-through relay learns from a recorded stream, event by event, as it does. */
function inspectAll(name: string) {
  let usage;
  const answers = [];
  let terminal = false;
  let errorMessage: string | undefined;
  for (const event of events(name)) {
    const verdict = hooks.createInspector().inspect(event, false, usage);
    expect(verdict.forward || verdict.errorMessage !== undefined).toBe(true);
    usage = verdict.usage ?? usage;
    if (verdict.answer) answers.push(verdict.answer);
    terminal ||= verdict.terminal === true;
    errorMessage ??= verdict.errorMessage;
  }
  return { usage, answers, terminal, errorMessage };
}

describe('anthropic client wire', () => {
  it('serves /v1/messages, and count_tokens as an operation of the same wire', () => {
    expect(anthropicClientWire.paths).toEqual(['/v1/messages']);
    expect(anthropicClientWire.matchPath?.('/v1/messages/count_tokens', '')).toEqual({
      endpoint: '/v1/messages/count_tokens',
      operation: 'count_tokens',
    });
    expect(anthropicClientWire.matchPath?.('/v1/messages/batches', '')).toBeUndefined();
    // A count body has no max_tokens; a Messages body must.
    const count = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    expect(anthropicClientWire.decodeRequest(count, { endpoint: '', operation: 'count_tokens' }).maxOutputTokens).toBeUndefined();
    expect(() => anthropicClientWire.decodeRequest(count, { endpoint: '/v1/messages' })).toThrow(/max_tokens/);
    expect(anthropicClientWire.encodeTokenCount?.(42)).toEqual({ input_tokens: 42 });
  });

  it("takes the key from x-api-key, a Bearer token or api-key, as Anthropic's SDKs and Claude Code send it", () => {
    expect(anthropicClientWire.apiKey({ 'x-api-key': 'k1' }, '')).toBe('k1');
    expect(anthropicClientWire.apiKey({ authorization: 'Bearer k2' }, '')).toBe('k2');
    expect(anthropicClientWire.apiKey({ 'api-key': 'k3' }, '')).toBe('k3');
    expect(anthropicClientWire.forwardedHeaders).toEqual(['anthropic-version', 'anthropic-beta']);
  });

  it("answers errors in Anthropic's envelope with Anthropic's statuses", () => {
    expect(anthropicClientWire.errorResponse(new GatewayError('invalid_api_key', 'bad key'))).toEqual({
      status: 401,
      body: { type: 'error', error: { type: 'authentication_error', message: 'bad key' } },
    });
    expect(anthropicClientWire.errorResponse(new GatewayError('model_not_found', 'no')).status).toBe(404);
    expect(anthropicClientWire.errorResponse(new GatewayError('service_unavailable', 'busy')).status).toBe(529);
    expect(anthropicClientWire.errorResponse(new GatewayError('request_too_large', 'big')).status).toBe(413);
  });

  it('reports a stream failure as an error event after stopping open blocks, never message_stop', () => {
    const encoder = anthropicClientWire.createStreamEncoder({ newId: () => 'id', now: () => 1 }, { model: 'm', includeUsage: true });
    let out = encoder.push({ type: 'start', id: 'msg_1', model: 'x', created: 1 });
    out += encoder.push({ type: 'text_delta', text: 'partial' });
    out += encoder.fail(new GatewayError('upstream_error', 'cut'));
    expect(out).toContain('event: content_block_stop');
    expect(out).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"cut"\}\}/);
    expect(out).not.toContain('message_stop');
  });
});

describe('anthropic pass-through hooks', () => {
  it('merges usage from message_start and message_delta instead of keeping only the last part', () => {
    const seen = inspectAll('tool.sse');
    // message_start: 558 input; message_delta: 130 output (and no input): both kept.
    expect(seen.usage).toMatchObject({ inputTokens: 558, outputTokens: 130, totalTokens: 688 });
    expect(seen.answers[0]).toEqual({ id: 'msg_bdrk_01UJYyE5HVJvdHL9cSvFeFg2', model: 'claude-sonnet-4-20250514' });
    expect(seen.answers.map((answer) => answer.finishReason).filter(Boolean)).toEqual(['tool_calls']);
    expect(seen.terminal).toBe(true);
  });

  it('takes a message_delta that repeats input_tokens as the whole input, not added twice', () => {
    const seen = inspectAll('message-delta-input-tokens.sse');
    const lastDelta = events('message-delta-input-tokens.sse')
      .map((event) => JSON.parse(event.data) as { type: string; usage?: { input_tokens?: number; output_tokens: number } })
      .filter((data) => data.type === 'message_delta')
      .at(-1);
    expect(seen.usage?.inputTokens).toBe(lastDelta?.usage?.input_tokens);
    expect(seen.usage?.outputTokens).toBe(lastDelta?.usage?.output_tokens);
    expect(seen.terminal).toBe(true);
  });

  it("reads an in-stream error (a compatible proxy's variant of the envelope too) as the stream's end, not a success", () => {
    const seen = inspectAll('error.sse');
    expect(seen.terminal).toBe(false);
    expect(seen.errorMessage).toContain('GPT-6');
    const anthropic = hooks
      .createInspector()
      .inspect({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' }, false, undefined);
    expect(anthropic).toEqual({ forward: true, errorMessage: 'Overloaded' });
    // The proxy's variant is not forwarded as it came: the relay reports it in Anthropic's own shape.
    const variant = events('error.sse').map((event) => hooks.createInspector().inspect(event, false, undefined));
    expect(variant.at(-1)?.forward).toBe(false);
  });

  it('inspects only from the first event that can carry usage, a stop or an error; the middle of a stream goes out unread', () => {
    const stream = readFileSync(join(UPSTREAM, 'text.sse'));
    expect(hooks.createInspector().inspectionPoint(stream)).toBe(stream.indexOf('message_start'));
    const middle = stream.subarray(stream.indexOf('event: content_block_delta'), stream.indexOf('event: content_block_stop'));
    expect(hooks.createInspector().inspectionPoint(middle)).toBe(-1);
  });

  it('edits only the model in the body bytes; finish reasons, usage and errors of whole answers in IR words', () => {
    const json = '{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"model"}],"stream":true}';
    const out = hooks.upstreamBody({ value: JSON.parse(json) as Record<string, unknown>, bytes: Buffer.from(json) }, 'mapped', true);
    expect(out.toString()).toBe(json.replace('"claude-x"', '"mapped"'));
    const answer = JSON.parse(readFileSync(join(UPSTREAM, 'text.json'), 'utf8')) as Record<string, unknown>;
    expect(hooks.finishReasonsOf(answer)).toEqual(['stop']);
    expect(hooks.usageOf(answer)).toMatchObject({ inputTokens: 12, outputTokens: 29 });
    expect(hooks.isErrorAnswer(answer)).toBe(false);
    expect(hooks.isErrorAnswer({ type: 'error', error: { type: 'api_error', message: 'x' } })).toBe(true);
  });
});

describe('anthropic upstream wire', () => {
  it('posts to {base_url}/messages (base_url ends in /v1) with x-api-key and the API version', () => {
    expect(anthropicUpstreamWire.requestPath('claude', true)).toBe('/messages');
    expect(anthropicUpstreamWire.requestHeaders('sk-ant-x')).toEqual({ 'x-api-key': 'sk-ant-x', 'anthropic-version': '2023-06-01' });
  });

  it('counts tokens at /messages/count_tokens with only the members count_tokens takes', () => {
    const counter = anthropicUpstreamWire.countTokens!;
    expect(counter.requestPath('claude')).toBe('/messages/count_tokens');
    expect(
      counter.requestBody({ model: 'm', max_tokens: 5, stream: true, temperature: 1, messages: [], system: 's', tools: [] }, 'm'),
    ).toEqual({
      model: 'm',
      messages: [],
      system: 's',
      tools: [],
    });
    expect(counter.decodeCount({ input_tokens: 7 })).toBe(7);
    expect(counter.decodeCount({ tokens: 7 })).toBeUndefined();
  });
});
