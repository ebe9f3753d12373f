/** Gateway headers on every answer: `AH-Request-Id` always, `AH-Trace-Id` when a conversation was resolved. */
export function gatewayHeaders(requestId: string, traceId: string | undefined, warnings: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = { 'ah-request-id': requestId };
  if (traceId) headers['ah-trace-id'] = sanitizeHeaderValue(traceId);
  if (warnings.length > 0) headers['ah-warnings'] = sanitizeHeaderValue(warnings.join('; '));
  return headers;
}

/** Header values must be visible ASCII: anything else (a client-sent id, a tool name) is replaced. */
function sanitizeHeaderValue(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 4096);
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Nginx and similar proxies must not buffer the stream.
  'x-accel-buffering': 'no',
} as const;

export const JSON_HEADERS = { 'content-type': 'application/json' } as const;
