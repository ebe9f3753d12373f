import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { DATA_SOURCE, GATEWAY_CONFIG } from '@gw/contracts';
import { RequestLogBodiesStore, RequestLogStore } from '@gw/persistence';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Hourly: a day's retention is kept to within an hour, and a sweep's work stays an hour's worth of rows. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Not at start: a restart has enough to do, and a restarting loop must not sweep each time. */
const FIRST_SWEEP_DELAY_MS = 60 * 1000;
/** Rows per DELETE: each statement's locks and WAL stay small, and rows being written never wait long. */
const DELETE_BATCH = 5_000;

/**
 * Deletes request-log rows older than `server.trace.retention_days` (0 keeps them forever), so the table
 * and the embedded database's data dir stop growing with traffic, and captured bodies older than
 * `server.trace.capture.retention_days` (or than their rows' retention, if shorter). Runs in every trace
 * service; two replicas sweeping at once only delete the same rows, which is harmless.
 */
@Injectable()
export class RequestLogRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogRetention.name);
  private readonly store: RequestLogStore;
  private readonly bodies: RequestLogBodiesStore;
  private readonly retentionMs: number;
  /** Bodies never outlive their rows: the shorter of the two retentions (0 is forever). */
  private readonly bodiesRetentionMs: number;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, @Inject(DATA_SOURCE) dataSource: DataSource) {
    this.store = new RequestLogStore(dataSource);
    this.bodies = new RequestLogBodiesStore(dataSource);
    this.retentionMs = config.server.trace.retention_days * DAY_MS;
    const bodiesMs = config.server.trace.capture.retention_days * DAY_MS;
    this.bodiesRetentionMs =
      bodiesMs === 0 || this.retentionMs === 0 ? Math.max(bodiesMs, this.retentionMs) : Math.min(bodiesMs, this.retentionMs);
  }

  onApplicationBootstrap(): void {
    if (this.retentionMs > 0 || this.bodiesRetentionMs > 0) this.schedule(FIRST_SWEEP_DELAY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Deletes every row that started before `now` minus the retention, batch by batch; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    if (this.bodiesRetentionMs > 0) await this.sweepBodies(now);
    if (this.retentionMs === 0) return 0;
    const cutoff = new Date(now.getTime() - this.retentionMs);
    const deleted = await this.deleteInBatches((limit) => this.store.deleteStartedBefore(cutoff, limit));
    if (deleted > 0) this.logger.log(`Deleted ${deleted} request logs that started before ${cutoff.toISOString()}`);
    return deleted;
  }

  /** Deletes every captured body of a request that started before `now` minus its retention; returns how many. */
  async sweepBodies(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.bodiesRetentionMs);
    const deleted = await this.deleteInBatches((limit) => this.bodies.deleteStartedBefore(cutoff, limit));
    if (deleted > 0) this.logger.log(`Deleted the captured bodies of ${deleted} requests that started before ${cutoff.toISOString()}`);
    return deleted;
  }

  private async deleteInBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
    let deleted = 0;
    for (;;) {
      const batch = await deleteBatch(DELETE_BATCH);
      deleted += batch;
      if (batch < DELETE_BATCH || this.stopped) break;
    }
    return deleted;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) =>
          this.logger.warn(`Request-log retention sweep failed: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          if (!this.stopped) this.schedule(SWEEP_INTERVAL_MS);
        });
    }, delayMs);
    // A pending sweep never keeps the process alive.
    this.timer.unref();
  }
}
