import { decodeChatUpstreamError, redactSecrets } from './upstream-error';

const openAiEnvelope = (message: string, param: string | null = null): string =>
  JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: null } });

describe('decodeChatUpstreamError', () => {
  it("turns the upstream's 401 into a 502 without the key it echoes", () => {
    const error = decodeChatUpstreamError(
      401,
      JSON.stringify({
        error: {
          message:
            'Incorrect API key provided: sk-proj-AbCdEf123456789xyz. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    );
    expect(error.code).toBe('upstream_error');
    expect(error.httpStatus).toBe(502);
    expect(error.upstreamStatus).toBe(401);
    expect(error.message).not.toContain('AbCdEf');
    expect(error.message).toBe(
      "Upstream rejected the gateway's credentials (HTTP 401): Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.",
    );
  });

  it('treats 403 like 401', () => {
    const error = decodeChatUpstreamError(403, 'Forbidden');
    expect([error.code, error.httpStatus, error.upstreamStatus, error.message]).toEqual([
      'upstream_error',
      502,
      403,
      "Upstream rejected the gateway's credentials (HTTP 403): Forbidden",
    ]);
  });

  it('keeps 429 a retryable 429', () => {
    const error = decodeChatUpstreamError(429, openAiEnvelope('Rate limit reached for gpt-4o-mini'));
    expect([error.code, error.httpStatus, error.upstreamStatus, error.retryable, error.message]).toEqual([
      'rate_limited',
      429,
      429,
      true,
      'Rate limit reached for gpt-4o-mini',
    ]);
  });

  it.each([400, 422])('turns %i into a 400 invalid_request with the upstream message and param', (status) => {
    const error = decodeChatUpstreamError(status, openAiEnvelope("Invalid value for 'temperature'", 'temperature'));
    expect([error.code, error.httpStatus, error.upstreamStatus, error.param, error.message]).toEqual([
      'invalid_request',
      400,
      status,
      'temperature',
      "Invalid value for 'temperature'",
    ]);
  });

  it('reads the error shapes of compatible providers', () => {
    expect(decodeChatUpstreamError(400, JSON.stringify({ error: 'bad model' })).message).toBe('bad model');
    expect(decodeChatUpstreamError(422, JSON.stringify({ detail: 'field required' })).message).toBe('field required');
    expect(decodeChatUpstreamError(404, JSON.stringify({ message: 'Model not found' })).message).toBe('Model not found');
  });

  it.each([
    [404, 'model_not_found', 404, false],
    [413, 'request_too_large', 413, false],
    [503, 'service_unavailable', 503, true],
    [529, 'service_unavailable', 503, true],
    [504, 'upstream_timeout', 504, true],
  ])('turns %i into %s (%i), as every upstream protocol does', (status, code, httpStatus, retryable) => {
    const error = decodeChatUpstreamError(status, openAiEnvelope('The model is overloaded'));
    expect([error.code, error.httpStatus, error.upstreamStatus, error.retryable, error.message]).toEqual([
      code,
      httpStatus,
      status,
      retryable,
      'The model is overloaded',
    ]);
  });

  it.each([500, 502])('turns %i into a retryable 502 upstream_error', (status) => {
    const error = decodeChatUpstreamError(status, '<html><body>Bad Gateway</body></html>');
    expect([error.code, error.httpStatus, error.upstreamStatus, error.retryable]).toEqual(['upstream_error', 502, status, true]);
    expect(error.message).toBe(`Upstream error (HTTP ${status}): <html><body>Bad Gateway</body></html>`);
  });

  it('names the status when the body says nothing, and truncates long bodies', () => {
    expect(decodeChatUpstreamError(500, '').message).toBe('Upstream error (HTTP 500): HTTP 500');
    expect(decodeChatUpstreamError(500, 'x'.repeat(2000)).message).toHaveLength('Upstream error (HTTP 500): '.length + 501);
  });
});

describe('redactSecrets', () => {
  it('masks every OpenAI-style key and leaves other text alone', () => {
    expect(redactSecrets('keys sk-abc123def456 and sk-proj-Zz_9-8*** end; task-1234 stays')).toBe(
      'keys sk-*** and sk-*** end; task-1234 stays',
    );
  });
});
