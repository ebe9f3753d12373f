import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { GatewayError } from '@gw/ir';
import { readJsonBody } from './json-body';
import { MAX_JSON_NESTING } from './json-nesting';

const LIMIT = 1024;
/** Path `/roomy` reads with a larger limit (deep bodies), `/impatient` with a short read timeout. */
const ROOMY_LIMIT = 1024 * 1024;
const IMPATIENT_TIMEOUT_MS = 200;

/** A real node:http server whose handler answers with what readJsonBody made of the request. */
let server: Server;
let port: number;
/** Every readJsonBody outcome, including those the client hung up before receiving. */
const settled: Outcome[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const limit = request.url === '/roomy' ? ROOMY_LIMIT : LIMIT;
    const timeoutMs = request.url === '/impatient' ? IMPATIENT_TIMEOUT_MS : 30_000;
    readJsonBody(request, limit, timeoutMs).then(
      ({ value, bytes }) => response.end(JSON.stringify({ ok: true, value, bytes: bytes.toString('base64') })),
      (error: unknown) => {
        const outcome: Outcome =
          error instanceof GatewayError
            ? { ok: false, code: error.code, status: error.httpStatus, message: error.message }
            : { ok: false, message: `not a GatewayError: ${String(error)}` };
        settled.push(outcome);
        // As the proxy does: a body left unread closes the connection after the answer.
        if (!request.complete) response.setHeader('connection', 'close');
        response.end(JSON.stringify(outcome));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // A test that failed may have left a stalled request open.
      server.closeAllConnections();
    }),
);

interface Outcome {
  ok: boolean;
  value?: unknown;
  /** The body's bytes as readJsonBody kept them, in base64 (exact, even when they are not UTF-8). */
  bytes?: string;
  code?: string;
  status?: number;
  message?: string;
}

/** Sends `chunks` one write at a time (chunked encoding unless a content-length is given). */
function send(
  chunks: (string | Buffer)[],
  headers: Record<string, string> = { 'content-type': 'application/json' },
  path = '/',
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve(JSON.parse(text) as Outcome));
    });
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

describe('readJsonBody', () => {
  it('parses a body that arrives in several chunks', async () => {
    const chunks = ['{"model":', '"gpt-4", "messages"', ': [{"role":"user","content":"hé"}]}'];
    const outcome = await send(chunks);
    expect(outcome).toMatchObject({
      ok: true,
      value: { model: 'gpt-4', messages: [{ role: 'user', content: 'hé' }] },
      bytes: Buffer.from(chunks.join('')).toString('base64'),
    });
  });

  it('keeps the bytes as sent when they are UTF-8, and re-encodes them when they are not', async () => {
    // A truncated emoji (F0 9F 98) inside a string: JSON.parse sees U+FFFD.
    const malformed = Buffer.concat([Buffer.from('{"content":"a'), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('b"}')]);
    const outcome = await send([malformed]);
    expect(outcome).toEqual({ ok: true, value: { content: 'a\ufffdb' }, bytes: Buffer.from('{"content":"a\ufffdb"}').toString('base64') });
    const valid = Buffer.from('{"content":"caf\u00e9 \ud83d\ude00"}');
    expect((await send([valid])).bytes).toBe(valid.toString('base64'));
  });

  it('accepts application/json with parameters and no content type at all', async () => {
    expect(await send(['{"a":1}'], { 'content-type': 'Application/JSON; charset=utf-8' })).toMatchObject({ ok: true, value: { a: 1 } });
    expect(await send(['{"a":2}'], {})).toMatchObject({ ok: true, value: { a: 2 } });
  });

  it('refuses another content type with 415', async () => {
    expect(await send(['a=1'], { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ ok: false, status: 415 });
  });

  it('answers malformed and empty bodies with 400 invalid_request', async () => {
    expect(await send(['{"model": "gpt-4", "messages": ['])).toMatchObject({ ok: false, code: 'invalid_request', status: 400 });
    expect(await send([' '])).toMatchObject({ ok: false, code: 'invalid_request', status: 400, message: expect.stringMatching(/empty/) });
  });

  it('refuses a body over the limit, by its content-length and while reading a chunked one', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(LIMIT) });
    const declared = await send([big], { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
    expect(declared).toMatchObject({ ok: false, code: 'request_too_large', status: 413 });
    const chunked = await send([big.slice(0, 600), big.slice(600)]);
    expect(chunked).toMatchObject({ ok: false, code: 'request_too_large', status: 413 });
    // Exactly at the limit is still accepted.
    const atLimit = JSON.stringify({ t: 'y'.repeat(LIMIT - 8) });
    expect(Buffer.byteLength(atLimit)).toBe(LIMIT);
    expect(await send([atLimit])).toMatchObject({ ok: true });
  });

  it('refuses an own __proto__ key, but not the same word inside a string value', async () => {
    expect(await send(['{"model":"m","__proto__":{"admin":true}}'])).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/prototype/),
    });
    const quoted = { model: 'm', content: 'what does "__proto__" do?', name: '__proto__' };
    expect(await send([JSON.stringify(quoted)])).toMatchObject({ ok: true, value: quoted });
  });

  it('refuses a body nested deeper than the bound with 400, whether arrays or objects, and counts no bracket in a string', async () => {
    const deepArrays = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(await send([`{"tools":[{"parameters":${deepArrays}}]}`], undefined, '/roomy')).toMatchObject({
      ok: false,
      code: 'invalid_request',
      status: 400,
      message: expect.stringMatching(/nested deeper than 512/),
    });
    const deepObjects = '{"a":'.repeat(MAX_JSON_NESTING + 1) + '1' + '}'.repeat(MAX_JSON_NESTING + 1);
    expect(await send([deepObjects], undefined, '/roomy')).toMatchObject({ ok: false, status: 400 });
    // At the bound exactly (the outer object is one level), and with brackets and escaped quotes in strings.
    const atBound = `{"s":"[[[\\\\\\"{{{","a":${'['.repeat(MAX_JSON_NESTING - 1)}${']'.repeat(MAX_JSON_NESTING - 1)}}`;
    expect(await send([atBound], undefined, '/roomy')).toMatchObject({ ok: true });
  });

  it('gives up on a body that does not arrive in time: 408', async () => {
    const socket = connect(port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
    });
    socket.write('POST /impatient HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model":');
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ ok: false, code: 'invalid_request', status: 408 });
  });

  it('reports a client that hangs up mid-body as client_closed, not as an error of its own', async () => {
    const before = settled.length;
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"model":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const deadline = Date.now() + 5_000;
    while (settled.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled.slice(before)).toEqual([expect.objectContaining({ ok: false, code: 'client_closed', status: 499 })]);
  });
});
