import { SecretRedactor } from '@gw/ir';
import { describeProbeFailure, judgeProbeAnswer, probeRequest } from './channel-probe';

const SECRET = 'sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789';
const redactor = new SecretRedactor([SECRET]);

describe('channel probe', () => {
  it('asks each channel type for the smallest answer, on the URL and with the headers the data plane uses', () => {
    const chat = { name: 'c', type: 'openai' as const, baseUrl: 'https://api.deepseek.com/v1/', apiKey: SECRET };
    expect(probeRequest(chat, 'deepseek-chat')).toEqual({
      url: 'https://api.deepseek.com/v1/chat/completions',
      headers: { authorization: `Bearer ${SECRET}` },
      body: { model: 'deepseek-chat', messages: [{ role: 'user', content: expect.any(String) }], max_tokens: 16 },
      secrets: [SECRET],
    });
    expect(probeRequest({ ...chat, type: 'openai-responses', baseUrl: 'https://api.openai.com/v1' }, 'gpt-4.1-nano')).toMatchObject({
      url: 'https://api.openai.com/v1/responses',
      body: { model: 'gpt-4.1-nano', max_output_tokens: 16, stream: false, store: false },
    });
  });

  it('resolves a preset channel like the data plane: deployment URL, api-key, extra headers, model map', () => {
    const azure = {
      name: 'azure',
      type: 'openai' as const,
      preset: 'azure-openai',
      baseUrl: 'https://r.openai.azure.com',
      apiKey: SECRET,
      modelMap: { 'gpt-4o': 'my-deployment' },
      headers: { 'X-Proxy-Key': 'proxy-secret-0123' },
    };
    expect(probeRequest(azure, 'gpt-4o')).toEqual({
      url: 'https://r.openai.azure.com/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
      headers: { 'api-key': SECRET, 'x-proxy-key': 'proxy-secret-0123' },
      body: expect.objectContaining({ model: 'my-deployment' }),
      secrets: [SECRET, 'proxy-secret-0123'],
    });
  });

  it('asks a gemini channel with the model in the path and the key in x-goog-api-key', () => {
    const google = 'https://generativelanguage.googleapis.com/v1beta';
    expect(probeRequest({ name: 'g', type: 'gemini', baseUrl: google, apiKey: SECRET }, 'gemini-2.5-flash')).toEqual({
      url: `${google}/models/gemini-2.5-flash:generateContent`,
      headers: { 'x-goog-api-key': SECRET },
      body: { contents: [{ role: 'user', parts: [{ text: expect.any(String) }] }], generationConfig: { maxOutputTokens: 16 } },
      secrets: [SECRET],
    });
    // Gemini's error envelope has its message where OpenAI's has it.
    const refused = judgeProbeAnswer(404, '{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}', redactor);
    expect(refused).toEqual({ ok: false, error: 'Upstream answered 404: models/x is not found' });
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
