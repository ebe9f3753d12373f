import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { BodyCapture } from '../trace/body-capture';

/**
 * Emits `abort` when the client goes away before its answer is complete, or when the gateway ends the
 * answer early while the client is still there (shutdown); the upstream handlers cancel their request on
 * it. An EventEmitter rather than a DOM AbortSignal: an AbortController and its EventTarget per request
 * cost about 3% of the gateway's CPU per request.
 */
export class ClientGone extends EventEmitter {
  /** The client went away: nothing more can reach it. */
  aborted = false;
  /** Why the gateway cancelled the upstream call while the client is still there; the relays report it. */
  interruption?: Error;

  fire(): void {
    if (this.aborted) return;
    this.aborted = true;
    // Also after an interruption: a write waiting for `drain` must wake when the client is gone.
    this.emit('abort');
  }

  interrupt(reason: Error): void {
    if (this.aborted || this.interruption !== undefined) return;
    this.interruption = reason;
    this.emit('abort');
  }
}

/**
 * The client's side of one request: writes with backpressure, and a signal that fires when the client
 * goes away before the answer is complete (which cancels the upstream request).
 */
export class ClientConnection {
  readonly signal = new ClientGone();
  /** Membership in InFlightRequests' list, kept on the connection itself so that joining it allocates nothing. */
  inFlight = false;
  inFlightPrev: ClientConnection | undefined = undefined;
  inFlightNext: ClientConnection | undefined = undefined;
  /** Stream headers written but not sent: the first write carries them. */
  private headersHeld = false;
  /** Set when prompt and response capture is on for this request: it sees every byte the client is sent. */
  capture: BodyCapture | undefined = undefined;

  constructor(private readonly response: ServerResponse) {
    response.once('close', () => {
      if (!response.writableFinished) this.signal.fire();
    });
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  /**
   * Ends the answer early although the client is still there: the upstream call is cancelled with
   * `reason` (a GatewayError), which reaches the client as an error in its protocol, in-stream if the
   * stream has started, and the request-log row.
   */
  interrupt(reason: Error): void {
    this.signal.interrupt(reason);
  }

  /** The connection closes once this answer is complete (effective while its headers are not sent yet). */
  closeAfterAnswer(): void {
    this.response.shouldKeepAlive = false;
  }

  get headersSent(): boolean {
    return this.response.headersSent;
  }

  /**
   * Starts a stream. When the upstream's first bytes are already here, the headers leave with them in one
   * write (a separate header packet costs the client an extra wake-up before its first chunk); otherwise
   * they go out now, so the client sees the stream open as soon as the upstream answered.
   */
  startStream(headers: Record<string, string>, firstBytesWaiting: boolean): void {
    this.response.writeHead(200, headers);
    if (!firstBytesWaiting) {
      this.response.flushHeaders();
      return;
    }
    // Those bytes are relayed within this turn of the event loop; if they made no output (half an
    // event, a comment), the headers go out alone at its end rather than wait for the next chunk.
    this.headersHeld = true;
    setImmediate(() => {
      if (this.headersHeld && !this.response.writableEnded) this.response.flushHeaders();
      this.headersHeld = false;
    });
  }

  /** A whole answer: status line, headers and body leave in one write. */
  respond(status: number, headers: Record<string, string>, body: string | Buffer): void {
    if (this.response.writableEnded) return;
    if (this.capture !== undefined) this.capture.answered(body);
    this.response.writeHead(status, headers);
    this.response.end(body);
  }

  async write(data: string | Buffer): Promise<void> {
    if (this.aborted || data.length === 0) return;
    if (this.capture !== undefined) this.capture.answered(data);
    this.headersHeld = false;
    if (!this.response.write(data)) await this.drainedOrGone();
  }

  /**
   * Resolves on `drain` or when the client goes away, and removes both listeners either way: `once()` in a
   * `Promise.race` left the loser's listener behind on every back-pressured write, until Node warned
   * (MaxListenersExceededWarning) on long streams to slow clients.
   */
  private drainedOrGone(): Promise<void> {
    return new Promise<void>((resolve) => {
      const settle = (): void => {
        this.response.off('drain', settle);
        this.signal.off('abort', settle);
        resolve();
      };
      this.response.on('drain', settle);
      this.signal.on('abort', settle);
    });
  }

  end(text?: string): void {
    if (this.response.writableEnded) return;
    if (this.capture !== undefined && text !== undefined) this.capture.answered(text);
    this.response.end(text);
  }
}
