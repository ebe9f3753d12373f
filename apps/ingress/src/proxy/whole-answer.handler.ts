import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { ClientGone } from './client-connection';
import { ERROR_TEXT_LIMIT_BYTES } from './upstream-body';

/** A non-streamed upstream answer, whole. */
export interface UpstreamAnswer {
  status: number;
  body: Buffer;
}

/**
 * undici dispatch handler that collects one non-streamed answer into memory. It replaces `request()` for
 * answers read whole: no response stream, no async resource and no stream consumer per request (measured
 * in `UpstreamClient` as the largest share of undici's cost per request).
 *
 * Owns the request's timeouts, on Node timers (cleared the moment they are done with): headers within
 * `headersTimeoutMs`, then no silence between body chunks longer than `bodyTimeoutMs`. A client that goes
 * away cancels the request. Every failure is undici's own error type, which `toGatewayError` maps.
 */
export class WholeAnswerHandler implements Dispatcher.DispatchHandler {
  readonly answer: Promise<UpstreamAnswer>;
  private resolve!: (answer: UpstreamAnswer) => void;
  private reject!: (error: Error) => void;
  private controller?: Dispatcher.DispatchController;
  private timer: NodeJS.Timeout;
  private status = 0;
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private limit = Infinity;
  /** Set once the promise is settled; later callbacks only tidy up. */
  private settled = false;
  /** A cancellation that came before undici handed us the request's controller. */
  private pendingAbort?: Error;

  constructor(
    headersTimeoutMs: number,
    private readonly bodyTimeoutMs: number,
    signal: ClientGone,
  ) {
    this.answer = new Promise<UpstreamAnswer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = setTimeout(() => this.cancel(new undiciErrors.HeadersTimeoutError()), headersTimeoutMs);
    // ClientGone lives as long as this request, so the listener needs no removal.
    if (signal.aborted) this.cancel(new undiciErrors.RequestAbortedError());
    else signal.once('abort', () => this.cancel(new undiciErrors.RequestAbortedError()));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    if (statusCode < 200) return; // 1xx (Early Hints): the answer is still to come
    this.status = statusCode;
    // The rest of an error answer is not waited for: it only becomes an error message.
    if (statusCode >= 400) this.limit = ERROR_TEXT_LIMIT_BYTES;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.cancel(new undiciErrors.BodyTimeoutError()), this.bodyTimeoutMs);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.timer.refresh();
    if (this.size + chunk.length <= this.limit) {
      this.chunks.push(chunk);
      this.size += chunk.length;
      return;
    }
    // An error text past the limit: keep what fits, answer with it, and drop the connection.
    this.chunks.push(chunk.subarray(0, this.limit - this.size));
    this.size = this.limit;
    this.finish();
    controller.abort(new undiciErrors.ResponseExceededMaxSizeError());
  }

  onResponseEnd(): void {
    this.finish();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  private finish(): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    const [only] = this.chunks;
    this.resolve({
      status: this.status,
      body: this.chunks.length === 1 && only !== undefined ? only : Buffer.concat(this.chunks, this.size),
    });
  }

  /** Fails the answer at once; the request itself is aborted as soon as undici has started it. */
  private cancel(reason: Error): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    this.reject(reason);
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }
}
