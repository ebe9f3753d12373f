import { errors as undiciErrors, type Dispatcher } from 'undici';
import type { ClientGone } from './client-connection';

/**
 * Base of our undici dispatch handlers: owns a request's timeouts on Node timers (cleared the moment they
 * are done with, unlike undici's swept timer list), and cancels the request when the client goes away.
 * Headers must come within `headersTimeoutMs`; after them the timer becomes the body timer, which
 * subclasses refresh on every chunk. Every failure is undici's own error type, which `toGatewayError` maps.
 *
 * Subclasses call `watch` at the end of their constructor (their fields exist by then) and implement
 * `fail`, which settles them with an error unless they are settled already.
 */
export abstract class TimedDispatchHandler implements Dispatcher.DispatchHandler {
  protected controller?: Dispatcher.DispatchController;
  protected timer?: NodeJS.Timeout;
  /** A cancellation that came before undici handed us the request's controller. */
  private pendingAbort?: Error;

  constructor(private readonly bodyTimeoutMs: number) {}

  /** Returns false when the handler was settled already (nothing to cancel then). */
  protected abstract fail(error: Error): boolean;

  protected watch(headersTimeoutMs: number, signal: ClientGone): void {
    this.timer = setTimeout(() => this.cancel(new undiciErrors.HeadersTimeoutError()), headersTimeoutMs);
    // An interruption (shutdown) is passed on as it is, so the client and the request log see its reason.
    const reason = (): Error => signal.interruption ?? new undiciErrors.RequestAbortedError();
    // ClientGone lives as long as this request, so the listener needs no removal.
    if (signal.aborted || signal.interruption !== undefined) this.cancel(reason());
    else signal.once('abort', () => this.cancel(reason()));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.pendingAbort) controller.abort(this.pendingAbort);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    clearTimeout(this.timer);
    this.fail(error);
  }

  /** Headers are in: from now on the limit is silence between body chunks. */
  protected startBodyTimer(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onBodyTimeout(), this.bodyTimeoutMs);
  }

  protected onBodyTimeout(): void {
    this.cancel(new undiciErrors.BodyTimeoutError());
  }

  /** Fails the handler at once; the request itself is aborted as soon as undici has started it. */
  protected cancel(reason: Error): void {
    clearTimeout(this.timer);
    if (!this.fail(reason)) return;
    if (this.controller) this.controller.abort(reason);
    else this.pendingAbort = reason;
  }
}
