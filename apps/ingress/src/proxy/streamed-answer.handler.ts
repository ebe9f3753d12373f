import type { IncomingHttpHeaders } from 'node:http';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { ClientGone } from './client-connection';
import { TimedDispatchHandler } from './timed-dispatch.handler';
import { readAnswerHeaders, type UpstreamAnswerHeaders } from './upstream-headers';

export interface UpstreamResponse {
  status: number;
  headers: UpstreamAnswerHeaders;
  /**
   * The body chunk by chunk, as undici's parser hands them over. Fails with undici's BodyTimeoutError (a 504)
   * after the body timeout of upstream silence; the clock restarts at every chunk, so a long answer that keeps
   * streaming never times out. Leaving the loop early cancels the upstream request.
   */
  chunks(): AsyncGenerator<Buffer>;
  /** True when body bytes arrived with the headers and wait to be read. */
  bodyWaiting(): boolean;
}

/** Past this many unread bytes the upstream socket is paused until the consumer (the client) catches up. */
const HIGH_WATER_BYTES = 64 * 1024;

/**
 * undici dispatch handler for a streamed answer: chunks go from the parser to the consumer through a small
 * queue, without a Readable, its async iterator and a generator over it per request. That layer was most of
 * the gateway's extra cost per relayed chunk, and it sat between the upstream's first bytes and the client's.
 *
 * Backpressure: the upstream socket is paused while more than HIGH_WATER_BYTES wait unread. The body timeout
 * counts only upstream silence: while the consumer holds a chunk (a slow client), it re-arms instead.
 */
export class StreamedAnswerHandler extends TimedDispatchHandler {
  readonly response: Promise<UpstreamResponse>;
  private resolveResponse!: (response: UpstreamResponse) => void;
  private rejectResponse!: (error: Error) => void;
  private started = false;
  private readonly queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private failure?: Error;
  /** Set while the consumer waits for the next chunk. */
  private wake?: () => void;

  constructor(headersTimeoutMs: number, bodyTimeoutMs: number, signal: ClientGone) {
    super(bodyTimeoutMs);
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
    this.watch(headersTimeoutMs, signal);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200 || this.started) return; // 1xx (Early Hints): the answer is still to come
    this.started = true;
    this.startBodyTimer();
    this.resolveResponse({
      status: statusCode,
      headers: readAnswerHeaders(statusCode, headers),
      chunks: () => this.chunks(),
      bodyWaiting: () => this.queue.length > 0,
    });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.timer?.refresh();
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > HIGH_WATER_BYTES && !controller.paused) controller.pause();
    this.notify();
  }

  onResponseEnd(): void {
    clearTimeout(this.timer);
    this.ended = true;
    this.notify();
  }

  protected fail(error: Error): boolean {
    if (this.ended || this.failure) return false;
    this.failure = error;
    if (!this.started) this.rejectResponse(error);
    this.notify();
    return true;
  }

  protected override onBodyTimeout(): void {
    if (this.queue.length > 0 || !this.wake) this.timer?.refresh();
    else super.onBodyTimeout();
  }

  private async *chunks(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk !== undefined) {
          this.queuedBytes -= chunk.length;
          if (this.queuedBytes <= HIGH_WATER_BYTES && this.controller?.paused) this.controller.resume();
          yield chunk;
        } else if (this.failure) {
          throw this.failure;
        } else if (this.ended) {
          return;
        } else {
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
      }
    } finally {
      // The consumer stopped early (its client failed, or it has read enough): the rest is not wanted.
      if (!this.ended && !this.failure) this.cancel(new undiciErrors.RequestAbortedError());
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
