import { GatewayError, isJsonObject, redactKeyShapes, stringOrUndefined, upstreamStatusCode, type GatewayErrorCode } from '@gw/ir';
import type { AnthropicErrorBody, AnthropicErrorType } from './anthropic.schema';

const MAX_MESSAGE_LENGTH = 500;
/** Anthropic's status for "overloaded"; the gateway's own `service_unavailable` is rendered with it too. */
const OVERLOADED_STATUS = 529;

/**
 * IR error → Anthropic error type and status (the statuses Anthropic documents for each type). Upstream
 * failures and timeouts keep the gateway's own 502 and 504 as `api_error`: the SDKs retry any 5xx alike,
 * and the status then says what happened, as it does for OpenAI clients.
 * @see https://docs.anthropic.com/en/api/errors
 */
export function anthropicErrorFor(error: GatewayError): { status: number; body: AnthropicErrorBody } {
  const { type, status } = typeAndStatus(error);
  return { status, body: { type: 'error', error: { type, message: error.message } } };
}

function typeAndStatus(error: GatewayError): { type: AnthropicErrorType; status: number } {
  switch (error.code) {
    case 'invalid_request':
      return error.httpStatus === 403 ? { type: 'permission_error', status: 403 } : { type: 'invalid_request_error', status: 400 };
    case 'invalid_api_key':
      return { type: 'authentication_error', status: 401 };
    case 'model_not_found':
      return { type: 'not_found_error', status: 404 };
    case 'request_too_large':
      return { type: 'request_too_large', status: 413 };
    case 'rate_limited':
      return { type: 'rate_limit_error', status: 429 };
    case 'service_unavailable':
      return { type: 'overloaded_error', status: OVERLOADED_STATUS };
    case 'internal_error':
      return { type: 'api_error', status: 500 };
    default:
      return { type: 'api_error', status: error.httpStatus >= 500 ? error.httpStatus : 500 };
  }
}

/** Anthropic error type → gateway code, for errors an Anthropic upstream reports (HTTP or in-stream). */
const codeForType: Record<string, GatewayErrorCode> = {
  invalid_request_error: 'invalid_request',
  not_found_error: 'invalid_request',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limited',
  overloaded_error: 'service_unavailable',
};

/**
 * An upstream HTTP error → GatewayError. Reads Anthropic's envelope and the variants Anthropic-compatible
 * proxies send (`{"error":{"code","message"}}`, `{"message"}`, plain text).
 * - 401/403: the upstream refused the gateway's own credentials; the client's key was fine, so it is a 502.
 * - an `overloaded_error` is a retryable 503 whatever its status (the Anthropic encoder renders it as 529 again);
 * - every other status by the rule all upstream protocols share (`upstreamStatusCode`).
 */
export function decodeAnthropicUpstreamError(status: number, bodyText: string): GatewayError {
  const { message, type } = readErrorBody(bodyText);
  const upstreamMessage = message ?? `HTTP ${status}`;
  if (status === 401 || status === 403) {
    return new GatewayError('upstream_error', `Upstream rejected the gateway's credentials (HTTP ${status}): ${upstreamMessage}`, {
      upstreamStatus: status,
    });
  }
  const code = type === 'overloaded_error' ? 'service_unavailable' : upstreamStatusCode(status);
  if (code === 'upstream_error') {
    return new GatewayError(code, `Upstream error (HTTP ${status}): ${upstreamMessage}`, { upstreamStatus: status });
  }
  return new GatewayError(code, upstreamMessage, { upstreamStatus: status });
}

/**
 * The payload of an in-stream `event: error` → GatewayError. Anthropic sends `{"type":"error","error":{"type",
 * "message"}}`; some compatible proxies wrap it as `{"event":"error","data":{"error":{"code","message"}}}`.
 */
export function decodeAnthropicStreamError(payload: unknown): GatewayError {
  const body = isJsonObject(payload) && isJsonObject(payload.data) ? payload.data : payload;
  const { message, type } = readError(body);
  const code = (type === undefined ? undefined : codeForType[type]) ?? 'upstream_error';
  return new GatewayError(code === 'invalid_request' ? 'upstream_error' : code, message ?? 'The upstream stream reported an error');
}

function readErrorBody(bodyText: string): { message?: string; type?: string } {
  try {
    return readError(JSON.parse(bodyText));
  } catch {
    const trimmed = bodyText.trim();
    return trimmed === '' ? {} : { message: clean(trimmed) };
  }
}

function readError(body: unknown): { message?: string; type?: string } {
  if (!isJsonObject(body)) return {};
  const error = isJsonObject(body.error) ? body.error : body;
  const message = stringOrUndefined(error.message);
  const type = stringOrUndefined(error.type) ?? stringOrUndefined(error.code);
  return {
    ...(message === undefined || message === '' ? {} : { message: clean(message) }),
    ...(type === undefined ? {} : { type }),
  };
}

/** Redacted (providers echo keys) and cut to a length a client and a log line can take. */
function clean(text: string): string {
  return redactKeyShapes(text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text);
}
