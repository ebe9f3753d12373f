import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { GatewayError } from '@gw/ir';
import { MAX_JSON_NESTING, isNestedWithin } from './json-nesting';

/** A request body: what JSON.parse made of it, and the bytes it came as (pass-through forwards those). */
export interface JsonBody {
  value: unknown;
  bytes: Buffer;
}

/**
 * Reads a request body as JSON, bounded by `limitBytes` (413 past it, checked against Content-Length
 * before a byte is read and again while reading) and by `timeoutMs` for the whole body to arrive (408,
 * so a client that stalls mid-body does not hold a connection and a request for minutes). Malformed JSON,
 * and JSON nested deeper than MAX_JSON_NESTING, is a 400 and a non-JSON content type a 415, all as
 * GatewayErrors so the caller answers in the client's envelope. A client that hangs up mid-body is a
 * `client_closed` GatewayError (499), never an unexpected error.
 */
export async function readJsonBody(request: IncomingMessage, limitBytes: number, timeoutMs: number): Promise<JsonBody> {
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    throw new GatewayError('invalid_request', 'Send the request body as application/json.', { httpStatus: 415 });
  }
  if (Number(request.headers['content-length']) > limitBytes) throw tooLarge();
  const bytes = await readBody(request, limitBytes, timeoutMs);
  // Before parsing: what runs after JSON.parse (codecs, JSON.stringify) recurses and would overflow the stack.
  if (!isNestedWithin(bytes, MAX_JSON_NESTING)) {
    throw new GatewayError(
      'invalid_request',
      `Invalid request body: arrays and objects are nested deeper than ${MAX_JSON_NESTING} levels.`,
    );
  }
  const text = bytes.toString('utf8');
  // Malformed UTF-8 decodes to U+FFFD and parses; the bytes kept for pass-through must then be the text's
  // valid encoding, not the original ones, which a strict upstream parser would refuse.
  return { value: parseJson(text), bytes: isUtf8(bytes) ? bytes : Buffer.from(text, 'utf8') };
}

/** `application/json`, with or without parameters (`; charset=utf-8`), case-insensitive. */
function isJsonContentType(value: string): boolean {
  return /^application\/json\s*(;|$)/i.test(value);
}

function readBody(request: IncomingMessage, limitBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: GatewayError | undefined): void => {
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) settle(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle(undefined);
    // A client that hangs up mid-body: node reports it as an 'error' ("aborted", ECONNRESET) before the
    // 'close'. Nothing went wrong in the gateway, and there is nobody left to answer.
    const onError = (): void => settle(clientClosed());
    const onClose = (): void => {
      if (!request.complete) settle(clientClosed());
    };
    const timer = setTimeout(
      () =>
        settle(
          new GatewayError('invalid_request', `The request body did not arrive within ${timeoutMs} ms.`, {
            httpStatus: 408,
          }),
        ),
      timeoutMs,
    );
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

function clientClosed(): GatewayError {
  return new GatewayError('client_closed', 'The client closed the connection before sending the whole body.');
}

/**
 * JSON.parse, except that an own `__proto__` key is refused (400) as Fastify did before this endpoint left
 * it: merged into an object with assignment, it would replace that object's prototype. The key search runs
 * only when the text can hold one; in string values the quotes are escaped, so they never match.
 */
function parseJson(text: string): unknown {
  if (text.trim() === '') throw new GatewayError('invalid_request', 'The request body is empty: send a JSON object.');
  try {
    if (!text.includes('"__proto__"')) return JSON.parse(text) as unknown;
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('Object contains forbidden prototype property');
      return value;
    }) as unknown;
  } catch (error) {
    throw new GatewayError('invalid_request', `Invalid request body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function tooLarge(): GatewayError {
  return new GatewayError('request_too_large', 'Request body is larger than the gateway accepts.');
}
