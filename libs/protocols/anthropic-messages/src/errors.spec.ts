import { GatewayError, type GatewayErrorCode } from '@gw/ir';
import { anthropicErrorFor, decodeAnthropicUpstreamError } from './errors';
import { anthropicStopReasonToIr, irFinishReasonToAnthropic } from './stop-reason';

describe('Anthropic errors', () => {
  it.each<[GatewayErrorCode, string, number]>([
    ['invalid_request', 'invalid_request_error', 400],
    ['invalid_api_key', 'authentication_error', 401],
    ['model_not_found', 'not_found_error', 404],
    ['request_too_large', 'request_too_large', 413],
    ['rate_limited', 'rate_limit_error', 429],
    ['internal_error', 'api_error', 500],
    ['upstream_error', 'api_error', 502],
    ['upstream_timeout', 'api_error', 504],
    ['service_unavailable', 'overloaded_error', 529],
  ])('%s → %s %d', (code, type, status) => {
    expect(anthropicErrorFor(new GatewayError(code, 'why'))).toEqual({ status, body: { type: 'error', error: { type, message: 'why' } } });
  });

  it('a 403 invalid request is a permission_error', () => {
    expect(anthropicErrorFor(new GatewayError('invalid_request', 'no', { httpStatus: 403 })).body.error.type).toBe('permission_error');
  });

  it.each<[number, string, GatewayErrorCode, number]>([
    [400, '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}', 'invalid_request', 400],
    [
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key sk-ant-api03-secretsecret"}}',
      'upstream_error',
      502,
    ],
    [413, '{"type":"error","error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}', 'request_too_large', 413],
    [
      429,
      '{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
      'rate_limited',
      429,
    ],
    [529, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'service_unavailable', 503],
    [500, 'upstream connect error', 'upstream_error', 502],
  ])('upstream HTTP %d → %s', (status, body, code, httpStatus) => {
    const error = decodeAnthropicUpstreamError(status, body);
    expect(error).toMatchObject({ code, httpStatus, upstreamStatus: status });
    expect(error.message).not.toContain('secretsecret');
  });
});

describe('stop reasons', () => {
  it.each([
    ['end_turn', 'stop', 'end_turn'],
    ['stop_sequence', 'stop', 'end_turn'],
    ['pause_turn', 'stop', 'end_turn'],
    ['max_tokens', 'length', 'max_tokens'],
    ['tool_use', 'tool_calls', 'tool_use'],
    ['refusal', 'content_filter', 'refusal'],
    ['something_new', 'stop', 'end_turn'],
  ] as const)('%s → %s → %s', (anthropic, ir, back) => {
    expect(anthropicStopReasonToIr(anthropic)).toBe(ir);
    expect(irFinishReasonToAnthropic(ir)).toBe(back);
  });
});
