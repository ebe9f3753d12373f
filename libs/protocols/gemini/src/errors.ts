import {
  GatewayError,
  isJsonObject,
  numberOrUndefined,
  redactKeyShapes,
  stringOrUndefined,
  upstreamStatusCode,
  type GatewayErrorCode,
} from '@gw/ir';
import type { GeminiErrorBody } from './gemini.schema';

const MAX_MESSAGE_LENGTH = 500;

/**
 * IR error → Gemini's envelope `{"error":{"code","message","status"}}` with the google.rpc status Google
 * uses for each HTTP status. Upstream failures keep the gateway's own 502 (`UNAVAILABLE`, which the SDKs
 * retry) and timeouts its 504 `DEADLINE_EXCEEDED`; Gemini has no 413, so a request too large is a 400.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes
 */
export function geminiErrorFor(error: GatewayError): { status: number; body: GeminiErrorBody } {
  const { status, rpcStatus } = statusOf(error);
  return { status, body: { error: { code: status, message: error.message, status: rpcStatus } } };
}

function statusOf(error: GatewayError): { status: number; rpcStatus: string } {
  switch (error.code) {
    case 'invalid_request':
      if (error.httpStatus === 403) return { status: 403, rpcStatus: 'PERMISSION_DENIED' };
      // A path the gateway does not serve (another Gemini method).
      if (error.httpStatus === 404) return { status: 404, rpcStatus: 'NOT_FOUND' };
      return { status: 400, rpcStatus: 'INVALID_ARGUMENT' };
    case 'request_too_large':
      return { status: 400, rpcStatus: 'INVALID_ARGUMENT' };
    case 'invalid_api_key':
      return { status: 401, rpcStatus: 'UNAUTHENTICATED' };
    case 'model_not_found':
      return { status: 404, rpcStatus: 'NOT_FOUND' };
    case 'rate_limited':
      return { status: 429, rpcStatus: 'RESOURCE_EXHAUSTED' };
    case 'service_unavailable':
      return { status: 503, rpcStatus: 'UNAVAILABLE' };
    case 'upstream_timeout':
      return { status: 504, rpcStatus: 'DEADLINE_EXCEEDED' };
    case 'client_closed':
      return { status: 499, rpcStatus: 'CANCELLED' };
    case 'upstream_error':
      return { status: error.httpStatus >= 500 ? error.httpStatus : 502, rpcStatus: 'UNAVAILABLE' };
    default:
      return { status: 500, rpcStatus: 'INTERNAL' };
  }
}

/** google.rpc status → gateway code, for errors reported inside a stream chunk (no HTTP status to go by). */
const codeForRpcStatus: Record<string, GatewayErrorCode> = {
  RESOURCE_EXHAUSTED: 'rate_limited',
  UNAVAILABLE: 'service_unavailable',
  DEADLINE_EXCEEDED: 'upstream_timeout',
};

/**
 * An upstream HTTP error → GatewayError. Gemini sends its envelope, sometimes wrapped in a one-element array
 * (streaming endpoints), and a bad key as a 400 whose details say `API_KEY_INVALID`.
 * - 401/403 and `API_KEY_INVALID`: the upstream refused the gateway's own credentials; a 502, not the client's fault.
 * - every other status by the rule all upstream protocols share (`upstreamStatusCode`): 400 is the client's
 *   request; 404 an unknown model; 429 stays a 429; 503 is a retryable 503; 504 a timeout; else a 502.
 */
export function decodeGeminiUpstreamError(status: number, bodyText: string): GatewayError {
  const { message, rpcStatus, reason } = readErrorBody(bodyText);
  const upstreamMessage = message ?? `HTTP ${status}`;
  const upstreamStatus = { upstreamStatus: status };
  if (status === 401 || status === 403 || reason === 'API_KEY_INVALID') {
    return new GatewayError(
      'upstream_error',
      `Upstream rejected the gateway's credentials (HTTP ${status}): ${upstreamMessage}`,
      upstreamStatus,
    );
  }
  const code = upstreamStatusCode(status);
  if (code === 'upstream_error') {
    return new GatewayError(
      code,
      `Upstream error (HTTP ${status}${rpcStatus === undefined ? '' : ` ${rpcStatus}`}): ${upstreamMessage}`,
      upstreamStatus,
    );
  }
  return new GatewayError(code, upstreamMessage, upstreamStatus);
}

/** An `error` member inside a stream chunk (or a whole error body) → GatewayError, by its google.rpc status. */
export function decodeGeminiStreamError(payload: unknown): GatewayError {
  const { message, rpcStatus, code } = readError(payload);
  const mapped = rpcStatus === undefined ? undefined : codeForRpcStatus[rpcStatus];
  return new GatewayError(
    mapped ?? 'upstream_error',
    message ?? 'The upstream stream reported an error',
    code === undefined ? {} : { upstreamStatus: code },
  );
}

interface ReadError {
  message?: string;
  rpcStatus?: string;
  code?: number;
  reason?: string;
}

function readErrorBody(bodyText: string): ReadError {
  try {
    return readError(JSON.parse(bodyText));
  } catch {
    const trimmed = bodyText.trim();
    return trimmed === '' ? {} : { message: clean(trimmed) };
  }
}

function readError(body: unknown): ReadError {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  if (!isJsonObject(first)) return {};
  const error = isJsonObject(first.error) ? first.error : first;
  const message = stringOrUndefined(error.message);
  const details = Array.isArray(error.details) ? error.details.filter(isJsonObject) : [];
  const reason = details.map((detail) => stringOrUndefined(detail.reason)).find((value) => value !== undefined);
  const read: ReadError = {};
  if (message !== undefined && message !== '') read.message = clean(message);
  const rpcStatus = stringOrUndefined(error.status);
  if (rpcStatus !== undefined) read.rpcStatus = rpcStatus;
  const code = numberOrUndefined(error.code);
  if (code !== undefined) read.code = code;
  if (reason !== undefined) read.reason = reason;
  return read;
}

/** Redacted (providers echo keys) and cut to a length a client and a log line can take. */
function clean(text: string): string {
  return redactKeyShapes(text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text);
}
