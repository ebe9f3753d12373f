import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { answerClientError } from './client-error';

/** A real node:http server with the listener, spoken to over a raw socket (clients would not send such bytes). */
let server: Server;
let port: number;

beforeAll(async () => {
  // Answers once the whole body is read, as the inference lane does: a body error comes before any answer.
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('{"ok":true}'));
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

/** Writes `raw` and collects everything the server sends until it closes the connection. */
function exchange(raw: string): Promise<{ status: number; headers: string; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), headers: text.slice(0, split).toLowerCase(), body: JSON.parse(text.slice(split + 4)) });
    });
    socket.write(raw);
  });
}

describe('answerClientError', () => {
  it('answers a garbled request line with 400 in OpenAI envelope, as JSON, and closes', async () => {
    const answer = await exchange('GARBAGE\u0000 /v1/responses HTTP/1.1\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers).toContain('content-type: application/json');
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toEqual({
      error: {
        message: expect.stringMatching(/not valid HTTP\/1\.1 \(HPE_/),
        type: 'invalid_request_error',
        code: 'invalid_request',
        param: null,
      },
    });
  });

  it('answers headers over the limit with 431 in the envelope', async () => {
    const answer = await exchange(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request', param: null } });
  });

  it('answers a malformed chunked body with 400 in the envelope', async () => {
    const answer = await exchange('POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
