import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError, toOpenAiErrorBody } from '@gw/ir';

/**
 * The node:http server's `clientError` listener (installed by Fastify as its `clientErrorHandler`): what
 * node's HTTP parser refuses before there is a request (a garbled request line, headers past node's 16 KB,
 * a malformed chunked body, node's own request timeout) is answered in OpenAI's envelope, as JSON, like
 * every other error of the gateway. Fastify's and node's own answers are not in that shape.
 *
 * There is no request, so no request id and no request-log row: the answer carries no `AH-Request-Id`.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // Node's rule: answer only while the socket can take it and no answer of a request has begun on it
  // (a keep-alive connection whose next request is garbled while the previous one is being answered).
  if (!socket.writable || error.code === 'ECONNRESET' || answerInProgress(socket)) {
    socket.destroy();
    return;
  }
  const status = statusFor(error.code);
  const body = JSON.stringify(
    toOpenAiErrorBody(new GatewayError('invalid_request', messageFor(status, error.code), { httpStatus: status })),
  );
  const head =
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
    'content-type: application/json; charset=utf-8\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'connection: close\r\n\r\n';
  // Destroyed once written: the parser is past recovery, and the client may never close its side.
  socket.end(head + body, () => socket.destroy());
}

function statusFor(code: string | undefined): number {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

function messageFor(status: number, code: string | undefined): string {
  switch (status) {
    case 431:
      return 'The request headers are too large.';
    case 413:
      return 'The chunk extensions of the request body are too large.';
    case 408:
      return 'The request did not arrive in time.';
    default:
      // Node's parser code (e.g. HPE_INVALID_METHOD) says what was wrong; the bytes themselves are not echoed.
      return `The request is not valid HTTP/1.1${code ? ` (${code})` : ''}.`;
  }
}

/** Node keeps the response being written on a connection as `socket._httpMessage` (what its own default checks). */
function answerInProgress(socket: Duplex): boolean {
  const current = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  return current?.headersSent === true;
}
