import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '@gw/config';
import type { ChannelSnapshot } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import { ClientGone } from './client-connection';
import { UpstreamClient, toGatewayError, type UpstreamResponse } from './upstream.client';

/** The client's own timeouts, against a real HTTP server that answers late, stalls or streams slowly. */
describe('UpstreamClient timeouts', () => {
  let server: Server;
  let baseUrl: string;
  let handler: (request: IncomingMessage, response: ServerResponse) => void;
  /** Resolves when the server sees the gateway's connection close (the upstream request was cancelled). */
  let upstreamClosed: Promise<void>;
  let client: UpstreamClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      upstreamClosed = once(request.socket, 'close').then(() => undefined);
      handler(request, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  beforeEach(() => {
    const config = { upstream: { connect_timeout_ms: 1_000, header_timeout_ms: 5_000, body_timeout_ms: 150 } } as GatewayConfig;
    client = new UpstreamClient(config);
  });

  afterEach(async () => {
    await client.onApplicationShutdown();
  });

  const channel = (timeoutMs?: number): ChannelSnapshot => ({
    id: 'c1',
    name: 'slowpoke',
    type: 'openai',
    baseUrl,
    apiKey: 'sk-upstream-secret',
    models: ['m'],
    timeoutMs,
  });

  const post = (timeoutMs?: number, signal = new ClientGone()) =>
    client.post(channel(timeoutMs), '/chat/completions', '{"model":"m"}', signal, 'application/json');

  async function readAll(chunks: AsyncIterable<Buffer>): Promise<string> {
    let text = '';
    for await (const chunk of chunks) text += chunk.toString('utf8');
    return text;
  }

  it("504 when no headers arrive within the channel's timeout, and the upstream request is cancelled", async () => {
    handler = () => undefined; // never answers
    const started = Date.now();
    const failure = await post(200).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ code: 'upstream_timeout', httpStatus: 504 });
    expect((failure as Error).message).not.toContain('sk-upstream-secret');
    expect(Date.now() - started).toBeLessThan(450);
    await upstreamClosed;
  });

  /** Both ways of reading a body: chunk by chunk (streams) and whole (JSON answers). */
  const readers = {
    chunks: async (response: UpstreamResponse): Promise<string[]> => {
      const received: string[] = [];
      for await (const chunk of response.chunks()) received.push(chunk.toString('utf8'));
      return received;
    },
    bytes: async (response: UpstreamResponse): Promise<string[]> => [(await response.bytes()).toString('utf8')],
  };

  it.each(Object.keys(readers) as (keyof typeof readers)[])(
    '%s: 504 when the body stalls for the body timeout after some bytes',
    async (reader) => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: first\n\n'); // then nothing
      };
      const response = await post();
      const failure = await readers[reader](response).catch((error: unknown) => error);
      expect(toGatewayError(failure, channel())).toMatchObject({ code: 'upstream_timeout', httpStatus: 504 });
      await upstreamClosed;
    },
  );

  it.each(Object.keys(readers) as (keyof typeof readers)[])(
    '%s: never times out a body that keeps arriving, however long it takes in all',
    async (reader) => {
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        let sent = 0;
        const tick = setInterval(() => {
          response.write(`data: ${sent}\n\n`);
          if (++sent === 8) {
            clearInterval(tick);
            response.end();
          }
        }, 60); // 8 × 60 ms: well past the 150 ms body timeout in total, never idle that long
      };
      const response = await post();
      const text = (await readers[reader](response)).join('');
      expect(text).toBe([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `data: ${n}\n\n`).join(''));
    },
  );

  it('cancels the upstream request when the client goes away while waiting for headers', async () => {
    handler = () => undefined;
    const gone = new ClientGone();
    const pending = post(undefined, gone).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    gone.fire();
    const failure = await pending;
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).not.toMatchObject({ code: 'upstream_timeout' });
    await upstreamClosed;
  });

  it('reads a whole answer and leaves no timer behind', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    };
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const streamed = await post(60_000);
    expect(await readAll(streamed.chunks())).toBe('{"ok":true}');
    const whole = await post(60_000);
    expect((await whole.bytes()).toString('utf8')).toBe('{"ok":true}');
    // The header and body timers are cleared as soon as they are done with, not left to run out.
    expect(timers()).toBe(before);
  });
});
