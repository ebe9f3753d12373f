import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { ClientConnection } from './client-connection';

/**
 * How a stream's headers leave: with the first bytes when those are already waiting (one write, one
 * wake-up of the client), alone and at once otherwise. Read on a raw socket, so what arrives together is seen.
 */
describe('ClientConnection.startStream', () => {
  let server: Server;
  let port: number;
  let serve: (response: ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => serve(response));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  /** Sends a request on a raw socket; resolves with the socket once its first read arrived, and that read. */
  async function firstRead(): Promise<{ socket: Socket; text: string }> {
    const socket = connect(port, '127.0.0.1');
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    return { socket, text: chunk.toString('latin1') };
  }

  it('sends the headers and the first bytes in one socket write when those bytes are already waiting', async () => {
    const socketWrites = await writesToSocket(true);
    expect(socketWrites).toBe(1);
  });

  it('without bytes waiting, the headers leave in a socket write of their own', async () => {
    // The control for the test above: the same exchange with the headers flushed at once takes two.
    const socketWrites = await writesToSocket(false);
    expect(socketWrites).toBe(2);
  });

  /** Starts a stream and writes its first event in the same turn; counts the writes reaching the socket. */
  async function writesToSocket(firstBytesWaiting: boolean): Promise<number> {
    let writes = 0;
    serve = (response) => {
      const socket = response.socket as Socket & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
      for (const method of ['_write', '_writev'] as const) {
        const original = socket[method].bind(socket);
        socket[method] = (...args: unknown[]) => {
          writes++;
          original(...args);
        };
      }
      const client = new ClientConnection(response);
      client.startStream({ 'content-type': 'text/event-stream' }, firstBytesWaiting);
      void client.write('data: first\n\n');
    };
    const { socket, text } = await firstRead();
    // Both ways, the client may well read everything at once; what differs is how many writes it took.
    if (!text.includes('data: first')) await once(socket, 'data');
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    return writes;
  }

  it('sends held headers alone at the end of the turn when the waiting bytes made no output', async () => {
    let client!: ClientConnection;
    serve = (response) => {
      client = new ClientConnection(response);
      client.startStream({ 'content-type': 'text/event-stream' }, true);
      // Half an event: nothing to relay yet, and the upstream may take its time with the rest.
    };
    const { socket, text } = await firstRead();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).not.toContain('data:');
    // The stream goes on normally after that.
    const next = once(socket, 'data');
    void client.write('data: later\n\n');
    const [chunk] = (await next) as [Buffer];
    socket.destroy();
    expect(chunk.toString('latin1')).toContain('data: later');
  });

  it('sends the headers at once when no bytes are waiting', async () => {
    serve = (response) => {
      new ClientConnection(response).startStream({ 'content-type': 'text/event-stream' }, false);
    };
    const { socket, text } = await firstRead();
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('content-type: text/event-stream');
  });
});

/** A long stream to a slow client waits for `drain` again and again; every wait must clean up after itself. */
describe('ClientConnection.write under backpressure', () => {
  it('leaves no listener behind on the response or the signal, however many writes waited', async () => {
    const server = createServer((request, response) => {
      request.resume();
      void (async () => {
        const client = new ClientConnection(response);
        client.startStream({ 'content-type': 'text/event-stream' }, false);
        const chunk = Buffer.alloc(256 * 1024, 0x61);
        for (let index = 0; index < 40; index++) await client.write(chunk);
        counts.push(response.listenerCount('drain'), client.signal.listenerCount('abort'));
        client.end();
      })();
    });
    const counts: number[] = [];
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    // A client that reads slowly: the server's writes fill the socket buffer and wait for `drain`.
    const socket = connect(port, '127.0.0.1');
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    socket.pause();
    const reader = setInterval(() => void socket.read(), 5);
    socket.on('end', () => clearInterval(reader));
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    clearInterval(reader);
    server.close();
    expect(counts).toEqual([0, 0]);
  });
});
