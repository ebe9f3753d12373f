import { Injectable } from '@nestjs/common';
import { GatewayError } from '@gw/ir';
import type { ClientConnection } from './client-connection';

/** What a request still running at the drain deadline is ended with, in its client's protocol. */
export const SHUTTING_DOWN_MESSAGE = 'The gateway is shutting down';

export interface DrainOutcome {
  /** Requests still running at the deadline, ended with a 503 `service_unavailable`. */
  interrupted: number;
  /** Requests that had not ended `graceMs` after their interruption (their connections are cut next). */
  abandoned: number;
}

/**
 * The inference requests this process is serving, so that a shutdown can wait for them: each request is
 * added when it arrives and deleted once its answer is complete and its request-log event published.
 * Once draining, the requests still running at the deadline are interrupted: their upstream calls are
 * cancelled with a 503 that the relays render in the client's protocol (in-stream once the stream has
 * started) and record in the request log, like any other failure.
 */
@Injectable()
export class InFlightRequests {
  private readonly running = new Set<ClientConnection>();
  private draining = false;
  private onEmpty?: () => void;
  /** Ends the current wait at once, as if its deadline had come. */
  private onHurry?: () => void;

  /** True from the start of a shutdown: readiness fails and new requests are refused. */
  get isDraining(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.running.size;
  }

  /**
   * Registers a request. While draining it is refused instead: a 503 in the client's protocol, recorded
   * like any failure, and its connection closes after the answer (a keep-alive client's next request
   * goes elsewhere).
   */
  admit(client: ClientConnection): void {
    this.running.add(client);
    if (!this.draining) return;
    client.closeAfterAnswer();
    throw new GatewayError('service_unavailable', SHUTTING_DOWN_MESSAGE);
  }

  delete(client: ClientConnection): void {
    this.running.delete(client);
    if (this.running.size === 0) this.onEmpty?.();
  }

  /** From now on every answer closes its connection (effective for answers whose headers are not sent yet). */
  beginDraining(): void {
    this.draining = true;
    for (const client of this.running) client.closeAfterAnswer();
  }

  /**
   * Waits until every request has ended, at most `drainMs`; then interrupts the rest and waits at most
   * `graceMs` more for them to write their error and end.
   */
  async drain(drainMs: number, graceMs: number): Promise<DrainOutcome> {
    this.beginDraining();
    if (await this.whenAllEnded(drainMs)) return { interrupted: 0, abandoned: 0 };
    const interrupted = this.running.size;
    for (const client of this.running) client.interrupt(new GatewayError('service_unavailable', SHUTTING_DOWN_MESSAGE));
    await this.whenAllEnded(graceMs);
    return { interrupted, abandoned: this.running.size };
  }

  /** A second signal while draining: the requests still running are interrupted now. */
  hurry(): void {
    this.onHurry?.();
  }

  /** Resolves true once no request runs, false when `timeoutMs` passed first (or `hurry` was called). */
  whenAllEnded(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (allEnded: boolean): void => {
        clearTimeout(timer);
        this.onEmpty = undefined;
        this.onHurry = undefined;
        resolve(allEnded);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.onEmpty = () => finish(true);
      this.onHurry = () => finish(false);
    });
  }
}
