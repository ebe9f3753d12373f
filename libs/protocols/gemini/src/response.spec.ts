import { GatewayError, sequentialCodecContext } from '@gw/ir';
import { decodeGeminiResponse } from './decode-response';
import { encodeGeminiResponse } from './encode-response';
import { decodeGeminiUpstreamError, geminiErrorFor } from './errors';
import { geminiFinishReasonToIr, irFinishReasonToGemini } from './finish-reason';
import { encodeGeminiUsage, mergeGeminiUsage } from './usage';

describe('decodeGeminiResponse / encodeGeminiResponse', () => {
  const body = {
    candidates: [
      {
        content: {
          role: 'model',
          parts: [
            { text: 'Planning', thought: true },
            { text: 'Calling.', thoughtSignature: 'sig-text' },
            { functionCall: { name: 'f', args: { x: 1 } }, thoughtSignature: 'sig-call' },
          ],
        },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 10, thoughtsTokenCount: 30, totalTokenCount: 60 },
    modelVersion: 'gemini-2.5-pro',
    responseId: 'abc',
  };

  it('reads thoughts, text, calls with their signatures, STOP with a call as tool_calls, usage with thoughts', () => {
    const ir = decodeGeminiResponse(body, sequentialCodecContext());
    expect(ir).toEqual({
      id: 'abc',
      model: 'gemini-2.5-pro',
      created: 1_700_000_000,
      output: [
        { kind: 'reasoning', text: 'Planning' },
        {
          kind: 'message',
          role: 'assistant',
          content: [{ type: 'text', text: 'Calling.', providerData: { gemini: { thoughtSignature: 'sig-text' } } }],
        },
        {
          kind: 'tool_call',
          callId: 'call_1',
          name: 'f',
          arguments: '{"x":1}',
          providerData: { gemini: { thoughtSignature: 'sig-call' } },
        },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 20, outputTokens: 40, totalTokens: 60, reasoningTokens: 30 },
    });
  });

  it('gives a Gemini client the same parts back under its own model name', () => {
    const ctx = sequentialCodecContext();
    expect(encodeGeminiResponse(decodeGeminiResponse(body, ctx), ctx, { model: 'client-model' })).toEqual({
      ...body,
      modelVersion: 'client-model',
    });
  });

  it('a blocked prompt is an empty answer finished by content_filter; an error body throws', () => {
    const ir = decodeGeminiResponse({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }, sequentialCodecContext());
    expect(ir.finishReason).toBe('content_filter');
    expect(ir.output).toEqual([{ kind: 'message', role: 'assistant', content: [] }]);
    expect(() => decodeGeminiResponse({ error: { code: 500, message: 'x', status: 'INTERNAL' } }, sequentialCodecContext())).toThrow(
      GatewayError,
    );
  });
});

describe('finish reasons', () => {
  it('map both ways', () => {
    expect(geminiFinishReasonToIr('STOP', false)).toBe('stop');
    expect(geminiFinishReasonToIr('STOP', true)).toBe('tool_calls');
    expect(geminiFinishReasonToIr('MAX_TOKENS', true)).toBe('length');
    expect(geminiFinishReasonToIr('SPII', false)).toBe('content_filter');
    expect(geminiFinishReasonToIr('MISSING_THOUGHT_SIGNATURE', false)).toBe('error');
    expect(geminiFinishReasonToIr('SOMETHING_NEW', false)).toBe('stop');
    expect(['stop', 'length', 'tool_calls', 'content_filter'].map((reason) => irFinishReasonToGemini(reason as never))).toEqual([
      'STOP',
      'MAX_TOKENS',
      'STOP',
      'SAFETY',
    ]);
  });
});

describe('usage', () => {
  it('thoughts count as output and round-trip; a chunk without counts changes nothing', () => {
    const usage = mergeGeminiUsage(undefined, {
      promptTokenCount: 100,
      cachedContentTokenCount: 60,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 7,
      totalTokenCount: 112,
    });
    expect(usage).toEqual({ inputTokens: 100, cachedInputTokens: 60, outputTokens: 12, reasoningTokens: 7, totalTokens: 112 });
    expect(mergeGeminiUsage(usage, { trafficType: 'ON_DEMAND' })).toBe(usage);
    expect(encodeGeminiUsage(usage)).toEqual({
      promptTokenCount: 100,
      cachedContentTokenCount: 60,
      candidatesTokenCount: 5,
      thoughtsTokenCount: 7,
      totalTokenCount: 112,
    });
  });
});

describe('errors', () => {
  it.each([
    [new GatewayError('invalid_request', 'bad'), 400, 'INVALID_ARGUMENT'],
    [new GatewayError('invalid_request', 'no', { httpStatus: 403 }), 403, 'PERMISSION_DENIED'],
    [new GatewayError('invalid_api_key', 'key'), 401, 'UNAUTHENTICATED'],
    [new GatewayError('model_not_found', 'model'), 404, 'NOT_FOUND'],
    [new GatewayError('rate_limited', 'slow'), 429, 'RESOURCE_EXHAUSTED'],
    [new GatewayError('internal_error', 'oops'), 500, 'INTERNAL'],
    [new GatewayError('service_unavailable', 'busy'), 503, 'UNAVAILABLE'],
    [new GatewayError('upstream_timeout', 'late'), 504, 'DEADLINE_EXCEEDED'],
    [new GatewayError('upstream_error', 'broken'), 502, 'UNAVAILABLE'],
  ])('%s → %i %s in the Gemini envelope', (error, status, rpcStatus) => {
    expect(geminiErrorFor(error)).toEqual({ status, body: { error: { code: status, message: error.message, status: rpcStatus } } });
  });

  it.each([
    [400, '{"error":{"code":400,"message":"Invalid value at contents","status":"INVALID_ARGUMENT"}}', 'invalid_request'],
    [
      400,
      '{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}',
      'upstream_error',
    ],
    [403, '{"error":{"code":403,"message":"denied","status":"PERMISSION_DENIED"}}', 'upstream_error'],
    [404, '[{"error":{"code":404,"message":"models/x is not found","status":"NOT_FOUND"}}]', 'model_not_found'],
    [429, '{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}', 'rate_limited'],
    [503, '{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}', 'service_unavailable'],
    [504, 'gateway timeout', 'upstream_timeout'],
    [500, '{"error":{"code":500,"message":"internal","status":"INTERNAL"}}', 'upstream_error'],
  ])('upstream HTTP %i %s → %s', (status, body, code) => {
    const error = decodeGeminiUpstreamError(status, body);
    expect(error.code).toBe(code);
    expect(error.upstreamStatus).toBe(status);
  });

  it('redacts keys an upstream echoes', () => {
    const error = decodeGeminiUpstreamError(400, '{"error":{"message":"bad key AIzaSyA1234567890abcdefghijklmnopqrstuv"}}');
    expect(error.message).not.toContain('AIzaSyA1234567890abcdefghijklmnopqrstuv');
  });
});
