import { SecretRedactor } from '@gw/ir';
import { describeProbeFailure, judgeProbeAnswer, probeRequest, probeUrl } from './channel-probe';

const SECRET = 'sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789';
const redactor = new SecretRedactor([SECRET]);

describe('channel probe', () => {
  it('asks each channel type for the smallest answer, on the path the data plane uses', () => {
    expect(probeRequest('openai', 'deepseek-chat', SECRET)).toEqual({
      path: '/chat/completions',
      headers: { authorization: `Bearer ${SECRET}` },
      body: { model: 'deepseek-chat', messages: [{ role: 'user', content: expect.any(String) }], max_tokens: 16 },
    });
    expect(probeRequest('openai-responses', 'gpt-4.1-nano', SECRET)).toMatchObject({
      path: '/responses',
      body: { model: 'gpt-4.1-nano', max_output_tokens: 16, stream: false, store: false },
    });
    expect(probeUrl('https://api.deepseek.com/v1/', '/chat/completions')).toBe('https://api.deepseek.com/v1/chat/completions');
    expect(probeRequest('anthropic', 'claude-sonnet-4-5', SECRET)).toEqual({
      path: '/messages',
      headers: { 'x-api-key': SECRET, 'anthropic-version': '2023-06-01' },
      body: {
        model: 'claude-sonnet-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: [{ type: 'text', text: expect.any(String) }] }],
      },
    });
    expect(probeUrl('https://api.anthropic.com/v1', '/messages')).toBe('https://api.anthropic.com/v1/messages');
  });

  it("reads Anthropic's error envelope too", () => {
    const overloaded = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(judgeProbeAnswer(529, overloaded, redactor)).toEqual({ ok: false, error: 'Upstream answered 529: Overloaded' });
  });

  it('a 2xx with a JSON body is a working channel', () => {
    expect(judgeProbeAnswer(200, '{"id":"chatcmpl-1","choices":[]}', redactor)).toEqual({ ok: true });
  });

  it('a 2xx that is not JSON is not (an HTML page behind a proxy)', () => {
    const verdict = judgeProbeAnswer(200, '<html><body>Welcome</body></html>', redactor);
    expect(verdict.ok).toBe(false);
    expect(verdict.error).toMatch(/^Upstream answered 200 but the body is not JSON: <html>/);
  });

  it("reports the upstream's own message and never the key it echoes, whole or in part", () => {
    const echoed = JSON.stringify({ error: { message: `Incorrect API key provided: ${SECRET}.`, type: 'invalid_request_error' } });
    const verdict = judgeProbeAnswer(401, echoed, redactor);
    expect(verdict.ok).toBe(false);
    expect(verdict.error).toMatch(/^Upstream answered 401: Incorrect API key provided: /);
    expect(verdict.error).not.toContain(SECRET);
    const partial = judgeProbeAnswer(401, `{"error":"bad key ${SECRET.slice(0, 20)}****${SECRET.slice(-4)}"}`, redactor);
    expect(partial.error).not.toContain(SECRET.slice(0, 20));
    expect(judgeProbeAnswer(502, '', redactor).error).toBe('Upstream answered 502: (empty body)');
  });

  it('cuts a long body to an excerpt', () => {
    const verdict = judgeProbeAnswer(500, 'x'.repeat(5_000), redactor);
    expect(verdict.error!.length).toBeLessThan(400);
  });

  it('says why no answer came: a timeout, or the connection error (redacted)', () => {
    expect(describeProbeFailure(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 1500, redactor)).toBe(
      'No answer within 1500 ms',
    );
    const refused = new Error('fetch failed', { cause: new Error(`connect ECONNREFUSED 127.0.0.1:9 (${SECRET})`) });
    const text = describeProbeFailure(refused, 1500, redactor);
    expect(text).toMatch(/^Could not reach the upstream: connect ECONNREFUSED 127\.0\.0\.1:9/);
    expect(text).not.toContain(SECRET);
  });
});
