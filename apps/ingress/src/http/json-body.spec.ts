import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '@gw/ir';
import { readJsonBody } from './json-body';

const LIMIT = 1024;

/** A real node:http server whose handler answers with what readJsonBody made of the request. */
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((request, response) => {
    readJsonBody(request, LIMIT).then(
      ({ value, bytes }) => response.end(JSON.stringify({ ok: true, value, bytes: bytes.toString('base64') })),
      (error: unknown) => {
        const gatewayError = error as GatewayError;
        response.end(
          JSON.stringify({ ok: false, code: gatewayError.code, status: gatewayError.httpStatus, message: gatewayError.message }),
        );
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
function send(chunks: (string | Buffer)[], headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (response) => {
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
});
