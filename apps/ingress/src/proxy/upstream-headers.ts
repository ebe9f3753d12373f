import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the gateway reads from an upstream answer's headers: its content type (an HTML page behind a 200 is
 * not an answer), and on an error status the back-off headers a client needs to pace itself — a 429's
 * `Retry-After` and the `x-ratelimit-*` family (OpenAI's, and the same names most compatible providers use).
 */
export interface UpstreamAnswerHeaders {
  /** Lower-cased media type without parameters (`application/json`); undefined when the upstream sent none. */
  contentType?: string;
  /** Passed on to the client with the error the status becomes. */
  backoff?: Record<string, string>;
}

export function readAnswerHeaders(statusCode: number, headers: IncomingHttpHeaders): UpstreamAnswerHeaders {
  const contentType = mediaType(headers['content-type']);
  if (statusCode < 400) return { contentType };
  return { contentType, backoff: backoffHeaders(headers) };
}

function backoffHeaders(headers: IncomingHttpHeaders): Record<string, string> | undefined {
  let found: Record<string, string> | undefined;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'retry-after' && lower !== 'retry-after-ms' && !lower.startsWith('x-ratelimit-')) continue;
    const text = Array.isArray(value) ? value[0] : value;
    // Only plain visible ASCII goes back out as a header value (the upstream's bytes are not trusted).
    if (text === undefined || !/^[\x20-\x7e]{1,256}$/.test(text)) continue;
    (found ??= {})[lower] = text;
  }
  return found;
}

function mediaType(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const semicolon = text.indexOf(';');
  return (semicolon === -1 ? text : text.slice(0, semicolon)).trim().toLowerCase();
}

/** `application/json` and the `+json` / `text/json` variants some providers send. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type === 'text/json' || type.endsWith('+json');
}

export function isEventStreamMediaType(type: string): boolean {
  return type === 'text/event-stream';
}
