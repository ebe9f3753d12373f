import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from '@gw/config';
import type { ChannelSnapshot } from '@gw/contracts';
import { resolveChannel } from '@gw/providers';
import { GatewayError } from '@gw/ir';
import { ClientGone } from './client-connection';
import { UpstreamClient, toGatewayError, type UpstreamTarget } from './upstream.client';

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
      // Not events.once: it would reject on the socket's 'error' (a reset is how a cancelled request ends).
      upstreamClosed = new Promise((resolve) => request.socket.once('close', () => resolve()));
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
    client.post(channel(timeoutMs), chatTarget(baseUrl, '/chat/completions'), '{"model":"m"}', signal, 'application/json');

  /** An upstream that streams `count` events (`data: 0`, `data: 1`, ...), one every `everyMs`, then ends. */
  const dripEvents =
    (count: number, everyMs: number) =>
    (_request: IncomingMessage, response: ServerResponse): void => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const tick = setInterval(() => {
        response.write(`data: ${sent}\n\n`);
        if (++sent === count) {
          clearInterval(tick);
          response.end();
        }
      }, everyMs);
    };

  /** Both ways of asking: a stream read chunk by chunk (`post`), and an answer read whole (`fetchAnswer`). */
  const modes = {
    streamed: async (timeoutMs?: number, signal = new ClientGone()): Promise<{ status: number; text: string }> => {
      const response = await post(timeoutMs, signal);
      let text = '';
      for await (const chunk of response.chunks()) text += chunk.toString('utf8');
      return { status: response.status, text };
    },
    whole: async (timeoutMs?: number, signal = new ClientGone()): Promise<{ status: number; text: string }> => {
      const answer = await client.fetchAnswer(
        channel(timeoutMs),
        chatTarget(baseUrl, '/chat/completions'),
        Buffer.from('{"model":"m"}'),
        signal,
      );
      return { status: answer.status, text: answer.body.toString('utf8') };
    },
  };
  const eachMode = it.each(Object.keys(modes) as (keyof typeof modes)[]);

  eachMode("%s: 504 when no headers arrive within the channel's timeout, and the upstream request is cancelled", async (mode) => {
    handler = () => undefined; // never answers
    const started = Date.now();
    const failure = await modes[mode](200).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).toMatchObject({ code: 'upstream_timeout', httpStatus: 504 });
    expect((failure as Error).message).not.toContain('sk-upstream-secret');
    expect(Date.now() - started).toBeLessThan(450);
    await upstreamClosed;
  });

  eachMode('%s: 504 when the body stalls for the body timeout after some bytes', async (mode) => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: first\n\n'); // then nothing
    };
    const failure = await modes[mode]().catch((error: unknown) => error);
    expect(toGatewayError(failure, channel())).toMatchObject({ code: 'upstream_timeout', httpStatus: 504 });
    await upstreamClosed;
  });

  eachMode('%s: never times out a body that keeps arriving, however long it takes in all', async (mode) => {
    handler = dripEvents(8, 60); // 8 × 60 ms: well past the 150 ms body timeout in total, never idle that long
    const { text } = await modes[mode]();
    expect(text).toBe([0, 1, 2, 3, 4, 5, 6, 7].map((n) => `data: ${n}\n\n`).join(''));
  });

  it('streamed: a slow consumer (client backpressure) is not upstream silence', async () => {
    handler = dripEvents(3, 20);
    const response = await post();
    let text = '';
    for await (const chunk of response.chunks()) {
      text += chunk.toString('utf8');
      await new Promise((resolve) => setTimeout(resolve, 250)); // longer than the 150 ms body timeout
    }
    expect(text).toBe('data: 0\n\ndata: 1\n\ndata: 2\n\n');
  });

  eachMode('%s: cancels the upstream request when the client goes away while waiting for headers', async (mode) => {
    handler = () => undefined;
    const gone = new ClientGone();
    const pending = modes[mode](undefined, gone).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    gone.fire();
    const failure = await pending;
    expect(failure).toBeInstanceOf(GatewayError);
    expect(failure).not.toMatchObject({ code: 'upstream_timeout' });
    await upstreamClosed;
  });

  it('whole: does not start a request for a client that is already gone', async () => {
    let requests = 0;
    handler = (_request, response) => {
      requests++;
      response.end('{}');
    };
    const gone = new ClientGone();
    gone.fire();
    await expect(modes.whole(undefined, gone)).rejects.toBeInstanceOf(GatewayError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toBe(0);
  });

  it('whole: reads an error answer up to 64 KB and no further', async () => {
    handler = (_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('e'.repeat(1024 * 1024));
    };
    const { status, text } = await modes.whole();
    expect(status).toBe(500);
    expect(text).toBe('e'.repeat(64 * 1024));
  });

  it('streamed: tells whether body bytes came with the headers', async () => {
    let release!: () => void;
    handler = (_request, response) => {
      if (_request.url?.includes('late')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.flushHeaders();
        release = () => response.end('data: late\n\n');
      } else {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('data: now\n\n'); // headers and body in one write
      }
    };
    const together = await post();
    expect(together.bodyWaiting()).toBe(true);
    for await (const chunk of together.chunks()) expect(chunk.toString()).toBe('data: now\n\n');

    const apart = await client.post(channel(), chatTarget(baseUrl, '/chat/completions?late'), '{}', new ClientGone(), 'text/event-stream');
    expect(apart.bodyWaiting()).toBe(false);
    release();
    let text = '';
    for await (const chunk of apart.chunks()) text += chunk.toString();
    expect(text).toBe('data: late\n\n');
  });

  it('streamed: pauses the upstream while the consumer lags, and loses nothing', async () => {
    const total = 64 * 1024 * 1024;
    let written = 0;
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const block = Buffer.alloc(64 * 1024, 'x');
      const pump = (): void => {
        while (written < total) {
          written += block.length;
          if (!response.write(block)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    };
    // This test is about pausing, not silence: a body timeout long enough for a loaded machine's GC pauses
    // while 64 MB go through (the 150 ms of the other tests fails it under CPU contention).
    await client.onApplicationShutdown();
    client = new UpstreamClient({
      upstream: { connect_timeout_ms: 1_000, header_timeout_ms: 5_000, body_timeout_ms: 5_000 },
    } as GatewayConfig);
    const response = await post();
    let read = 0;
    for await (const chunk of response.chunks()) {
      if (read === 0) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        // Unpaused, the whole 64 MB would have been read into memory by now (loopback moves it in ~50 ms);
        // paused, the upstream is stuck once the socket buffers are full.
        expect(written).toBeLessThan(total / 4);
      }
      read += chunk.length;
    }
    expect(read).toBe(total);
  });

  it('streamed: leaving the loop early cancels the upstream request', async () => {
    handler = dripEvents(50, 20);
    const response = await post();
    for await (const chunk of response.chunks()) {
      expect(chunk.toString()).toBe('data: 0\n\n');
      break;
    }
    await upstreamClosed; // long before the 50 events (1 s) would have ended the answer
  });

  it('streamed: an upstream that dies mid-answer fails the loop after the bytes it did send', async () => {
    handler = (request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: 0\n\n', () => setTimeout(() => request.socket.destroy(), 30));
    };
    const response = await post();
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of response.chunks()) seen.push(chunk.toString());
    })().catch((error: unknown) => error);
    expect(seen).toEqual(['data: 0\n\n']);
    expect(toGatewayError(failure, channel())).toMatchObject({ code: 'upstream_error', httpStatus: 502 });
  });

  it('reads whole answers both ways and leaves no timer behind', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    };
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    expect(await modes.streamed(60_000)).toEqual({ status: 200, text: '{"ok":true}' });
    expect(await modes.whole(60_000)).toEqual({ status: 200, text: '{"ok":true}' });
    // The header and body timers are cleared as soon as they are done with, not left to run out.
    expect(timers()).toBe(before);
  });
});

/** A Chat request to the fake's `/v1` base URL, as the channel's resolution gives it (`resolved-channels.ts`). */
function chatTarget(baseUrl: string, path: string): UpstreamTarget {
  const url = resolveChannel({ name: 'slowpoke', type: 'openai', baseUrl, apiKey: 'sk-upstream-secret' }).url('m', path);
  return { ...url, headers: { authorization: 'Bearer sk-upstream-secret' } };
}
