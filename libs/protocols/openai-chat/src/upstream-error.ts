import { GatewayError, redactKeyShapes, isJsonObject, nonEmptyString, upstreamStatusCode } from '@gw/ir';

const MAX_MESSAGE_LENGTH = 500;

/**
 * An upstream HTTP error → GatewayError. Reads OpenAI's envelope `{"error":{"message","param",...}}`
 * and the variants compatible providers send (`{"error":"..."}`, `{"message":"..."}`, plain text, HTML).
 * - 401/403: the upstream refused the gateway's own credentials; the client's key was fine, so it is a
 *   502 and the message is redacted (OpenAI echoes part of the key it rejected).
 * - every other status by the rule all upstream protocols share (`upstreamStatusCode`): 429 stays a 429,
 *   400/422 are the client's request, 404 an unknown model, 503 a retryable 503, anything else a 502.
 */
export function decodeChatUpstreamError(status: number, bodyText: string): GatewayError {
  const { message, param } = readErrorBody(bodyText);
  const upstreamMessage = redactSecrets(message ?? `HTTP ${status}`);
  if (status === 401 || status === 403) {
    return new GatewayError('upstream_error', `Upstream rejected the gateway's credentials (HTTP ${status}): ${upstreamMessage}`, {
      upstreamStatus: status,
    });
  }
  const code = upstreamStatusCode(status);
  if (code === 'upstream_error') {
    return new GatewayError(code, `Upstream error (HTTP ${status}): ${upstreamMessage}`, { upstreamStatus: status });
  }
  return new GatewayError(code, upstreamMessage, { upstreamStatus: status, ...(param === undefined ? {} : { param }) });
}

/**
 * Replaces anything shaped like an API key (`sk-...`, `Bearer ...`) so it never reaches a client or a log.
 * The data plane also masks the serving channel's own secrets, whatever their shape (SecretRedactor).
 */
export const redactSecrets = redactKeyShapes;

function readErrorBody(bodyText: string): { message?: string; param?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    const trimmed = bodyText.trim();
    return trimmed === '' ? {} : { message: truncate(trimmed) };
  }
  if (!isJsonObject(parsed)) return {};
  const error = parsed.error;
  if (isJsonObject(error)) {
    const message = nonEmptyString(error.message);
    const param = nonEmptyString(error.param);
    return { ...(message === undefined ? {} : { message: truncate(message) }), ...(param === undefined ? {} : { param }) };
  }
  const message = nonEmptyString(error) ?? nonEmptyString(parsed.message) ?? nonEmptyString(parsed.detail);
  return message === undefined ? {} : { message: truncate(message) };
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/** The message of an error payload found inside a 200 response or a stream, redacted. */
export function describeUpstreamError(error: unknown): string {
  if (typeof error === 'string') return redactSecrets(truncate(error));
  if (isJsonObject(error) && typeof error.message === 'string') return redactSecrets(truncate(error.message));
  return redactSecrets(truncate(JSON.stringify(error)));
}
