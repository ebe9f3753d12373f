/**
 * The fault suite's own parts, without a gateway: the faults are what they claim to be, and the checks
 * fail on the answers they exist to catch (a leak detector that finds nothing proves nothing).
 */
import { readUpstreamRecording, splitSseEvents } from '../../support/recordings';
import { checkClientAnswer } from '../support/client-answer';
import { countCredentialPieces, findCredentialLeaks } from '../support/credential-leaks';
import type { RawAnswer } from '../support/raw-client';
import { fault } from '../support/upstream-faults';
import { Verdict } from '../support/verdict';

const KEY = 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0f';

function sseText(reply: unknown): string {
  const sse = (reply as { sse?: unknown }).sse;
  if (typeof sse !== 'string') throw new Error('expected an sse reply');
  return sse;
}

function answer(status: number, contentType: string, body: string): RawAnswer {
  return {
    status,
    headers: { 'content-type': contentType },
    headerText: `content-type: ${contentType}`,
    body,
    ended: true,
    failure: undefined,
  };
}

describe('fault suite support', () => {
  it('finds a channel key whole, or any 12 characters of it, but not 11', () => {
    const places = { whole: `echo ${KEY}`, piece: `key ...${KEY.slice(20, 32)}...`, short: `key ${KEY.slice(20, 31)}`, clean: 'nothing' };
    expect(findCredentialLeaks(places, [KEY]).map((leak) => leak.split(':')[0])).toEqual(['whole', 'piece']);
    expect(countCredentialPieces(`${KEY} and ${KEY.slice(0, 12)}`, [KEY])).toBe(KEY.length - 12 + 1 + 1);
  });

  it('cuts the recorded streams before their terminal event', () => {
    const chat = sseText(fault('stream-cut').reply('chat', true, KEY));
    expect(chat).not.toContain('[DONE]');
    expect(chat).not.toMatch(/"finish_reason":"/);
    expect(chat.length).toBeGreaterThan(1000);
    const responses = sseText(fault('stream-cut').reply('responses', true, KEY));
    expect(responses).not.toContain('response.completed');
    expect(responses).toContain('response.output_text.delta');
  });

  it('puts one non-JSON event in an otherwise good stream, and cuts a whole body mid-JSON', () => {
    for (const channel of ['chat', 'responses'] as const) {
      const events = splitSseEvents(sseText(fault('malformed').reply(channel, true, KEY)));
      const broken = events.filter((event) => {
        if (event.data === undefined || event.data === '[DONE]') return false;
        try {
          JSON.parse(event.data);
          return false;
        } catch {
          return true;
        }
      });
      expect(broken).toHaveLength(1);
      const whole = (fault('malformed').reply(channel, false, KEY) as { json: string }).json;
      expect(() => JSON.parse(whole) as unknown).toThrow();
      expect(whole.length).toBeGreaterThan(100);
    }
  });

  it('echoes the key in the upstream errors meant to leak it', () => {
    expect(JSON.stringify(fault('key-echo-401').reply('chat', false, KEY))).toContain(KEY);
    expect(sseText(fault('stream-error-key').reply('chat', true, KEY))).toContain(KEY);
    const errorEvent = splitSseEvents(sseText(fault('stream-error-key').reply('responses', true, KEY)));
    expect(errorEvent.filter((event) => event.data?.includes(KEY)).map((event) => event.eventName)).toEqual(['error']);
    const failed = splitSseEvents(sseText(fault('failed-key').reply('responses', true, KEY)));
    expect(failed.filter((event) => event.data?.includes(KEY)).map((event) => event.eventName)).toEqual(['response.failed']);
  });

  it('rejects a successful stream where an in-stream error is required, for both client protocols', () => {
    const chat = new Verdict();
    checkClientAnswer(chat, answer(200, 'text/event-stream', readUpstreamRecording('openai-chat/text.sse')), 'chat', {
      kind: 'in-stream-error',
      status: 502,
      code: 'upstream_error',
    });
    expect(chat.failedRequirements).toEqual(['error event', 'no success terminal']);
    const responses = new Verdict();
    checkClientAnswer(responses, answer(200, 'text/event-stream', readUpstreamRecording('openai-responses/stop.sse')), 'responses', {
      kind: 'in-stream-error',
      status: 502,
      code: 'upstream_error',
    });
    expect(responses.failedRequirements).toEqual(['error event', 'no success terminal']);
  });

  it('accepts the in-stream errors of both protocols, and rejects a plain error whose headers were dropped', () => {
    const chatError = `data: {"error":{"message":"m","type":"api_error","code":"upstream_error","param":null}}\n\ndata: [DONE]\n\n`;
    const chat = new Verdict();
    checkClientAnswer(chat, answer(200, 'text/event-stream', chatError), 'chat', {
      kind: 'in-stream-error',
      status: 502,
      code: 'upstream_error',
    });
    expect(chat.failedRequirements).toEqual([]);
    const failed = `event: response.failed\ndata: {"type":"response.failed","response":{"status":"failed","error":{"code":"upstream_timeout","message":"m"}}}\n\n`;
    const responses = new Verdict();
    checkClientAnswer(responses, answer(200, 'text/event-stream', failed), 'responses', {
      kind: 'in-stream-error',
      status: 504,
      code: 'upstream_timeout',
    });
    expect(responses.failedRequirements).toEqual([]);
    const plain = new Verdict();
    const envelope = '{"error":{"message":"m","type":"rate_limit_error","code":"rate_limited","param":null}}';
    checkClientAnswer(plain, answer(429, 'application/json', envelope), 'chat', {
      kind: 'http-error',
      status: 429,
      code: 'rate_limited',
      passedHeaders: { 'retry-after': '7' },
    });
    expect(plain.failedRequirements).toEqual(['headers']);
  });
});
