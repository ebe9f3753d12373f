import type { IncomingHttpHeaders } from 'node:http';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { ClientGone } from './client-connection';
import { TimedDispatchHandler } from './timed-dispatch.handler';
import { ERROR_TEXT_LIMIT_BYTES } from './upstream-body';
import { readAnswerHeaders, type UpstreamAnswerHeaders } from './upstream-headers';

/** A non-streamed upstream answer, whole. */
export interface UpstreamAnswer {
  status: number;
  headers: UpstreamAnswerHeaders;
  body: Buffer;
}

/**
 * undici dispatch handler that collects one non-streamed answer into memory. It replaces `request()` for
 * answers read whole: no response stream, no async resource and no stream consumer per request (measured
 * in `UpstreamClient` as the largest share of undici's cost per request).
 */
export class WholeAnswerHandler extends TimedDispatchHandler {
  readonly answer: Promise<UpstreamAnswer>;
  private resolve!: (answer: UpstreamAnswer) => void;
  private reject!: (error: Error) => void;
  private status = 0;
  private headers: UpstreamAnswerHeaders = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private limit = Infinity;
  /** Set once the promise is settled; later callbacks only tidy up. */
  private settled = false;

  constructor(headersTimeoutMs: number, bodyTimeoutMs: number, signal: ClientGone) {
    super(bodyTimeoutMs);
    this.answer = new Promise<UpstreamAnswer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.watch(headersTimeoutMs, signal);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx (Early Hints): the answer is still to come
    this.status = statusCode;
    this.headers = readAnswerHeaders(statusCode, headers);
    // The rest of an error answer is not waited for: it only becomes an error message.
    if (statusCode >= 400) this.limit = ERROR_TEXT_LIMIT_BYTES;
    this.startBodyTimer();
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.timer?.refresh();
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

  protected fail(error: Error): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.reject(error);
    return true;
  }

  private finish(): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.settled = true;
    const [only] = this.chunks;
    this.resolve({
      status: this.status,
      headers: this.headers,
      body: this.chunks.length === 1 && only !== undefined ? only : Buffer.concat(this.chunks, this.size),
    });
  }
}
