import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, type RequestFinishedEvent } from '@gw/contracts';
import { MetricsRegistry } from '@gw/metrics';
import {
  RequestLogBodiesStore,
  RequestLogRows,
  RequestLogStore,
  isRowError,
  serializeRow,
  splitCapture,
  type RefusedRow,
} from '@gw/persistence';
import { METRICS_REGISTRY } from '@gw/platform';
import { RequestLogMetrics } from './request-log.metrics';

/**
 * Rows per INSERT, and how long a row may wait for companions. At 50 ms a busy gateway still writes a few
 * hundred rows per statement. A batch closes at MAX_BATCH rows, or past it by the rest of one `writeAll`
 * call, so that every call's rows share one statement and one outcome.
 */
const MAX_BATCH = 1_000;
const FLUSH_DELAY_MS = 50;
/**
 * Past this many waiting rows new ones are refused (JetStream redelivers them later): memory stays bounded.
 * The JetStream consumer keeps fewer messages than this unacknowledged, so it is never refused for it.
 */
export const MAX_PENDING_ROWS = 20_000;

/** Storage kept for reuse: a full batch's rows with room to spare (a row is about 600 bytes). */
const MAX_SPARE_BYTES = 2 * 1024 * 1024;

/**
 * Some rows of a `writeAll` call were refused by PostgreSQL for their own data and are dropped; the others
 * were stored. Final: writing them again would be refused again (the JetStream consumer terminates them).
 */
export class RowsRefusedError extends Error {
  constructor(readonly rows: readonly RefusedRow[]) {
    super(`${rows.length === 1 ? 'request-log row' : `${rows.length} request-log rows`} refused by PostgreSQL: ${rows[0]?.reason}`);
    this.name = 'RowsRefusedError';
  }
}

/** A `writeAll` call waiting for its rows, `first` to `first + count - 1` of its batch. */
interface Waiter {
  first: number;
  count: number;
  settle(error?: unknown): void;
}

/** Rows waiting for the same INSERT, and the callers waiting for its outcome. */
class PendingBatch {
  readonly waiters: Waiter[] = [];
  /** Captured bodies of the batch's requests (`splitCapture`), written after the rows. */
  readonly bodies: string[] = [];

  constructor(readonly rows: RequestLogRows) {}
}

/**
 * Writes request-log rows in batches: one multi-row INSERT per flush instead of one statement per request
 * (measured: a single-row insert per request cost more CPU than proxying the request). `writeAll` resolves
 * once its rows are stored, so the JetStream consumer acks only what is durable. Idempotent on request id.
 *
 * A row is serialized into its batch's bytes when it arrives, not when the batch is written (see
 * RequestLogRows): the event objects die young instead of being promoted to the old generation.
 */
@Injectable()
export class RequestLogWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(RequestLogWriter.name);
  private readonly store: RequestLogStore;
  private readonly bodies: RequestLogBodiesStore;
  /** Full batches waiting for their turn, oldest first. */
  private readonly closed: PendingBatch[] = [];
  private filling = this.newBatch();
  /** Rows in `closed` and `filling`: accepted and not yet being written. */
  private pendingRows = 0;
  /** A written batch's storage, reused by the next batch (one buffer grown once instead of one per batch). */
  private spare?: Buffer;
  private timer?: NodeJS.Timeout;
  private flushing = Promise.resolve();
  private refused = 0;
  readonly metrics: RequestLogMetrics;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    @Optional() @Inject(METRICS_REGISTRY) registry: MetricsRegistry = new MetricsRegistry(),
  ) {
    this.store = new RequestLogStore(dataSource);
    this.metrics = new RequestLogMetrics(registry, () => this.pendingRows);
    this.bodies = new RequestLogBodiesStore(dataSource);
  }

  write(event: RequestFinishedEvent): Promise<void> {
    return this.writeAll([event]);
  }

  /**
   * Resolves once every row is stored. Rejects with `RowsRefusedError` if PostgreSQL refused some of them
   * for their data (the others are stored, and each refused row was logged once), with another error if
   * their batch was not written at all (the database is down: try again later).
   */
  writeAll(events: readonly RequestFinishedEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (this.pendingRows + events.length > MAX_PENDING_ROWS) return Promise.reject(new Error('request-log queue is full'));
    let rows: string[];
    let bodies: string[] | undefined;
    try {
      rows = events.map((event) => {
        if (event.capture === undefined) return serializeRow(event);
        const split = splitCapture(event);
        if (split.bodies !== undefined) (bodies ??= []).push(split.bodies);
        return serializeRow(split.row);
      });
    } catch (error) {
      return Promise.reject(asError(error));
    }
    const batch = this.filling;
    const first = batch.rows.count;
    batch.rows.append(rows);
    if (bodies !== undefined) batch.bodies.push(...bodies);
    this.pendingRows += rows.length;
    const stored = new Promise<void>((resolve, reject) => {
      batch.waiters.push({ first, count: rows.length, settle: (error) => (error === undefined ? resolve() : reject(asError(error))) });
    });
    if (batch.rows.count >= MAX_BATCH) {
      this.closed.push(batch);
      this.filling = this.newBatch();
      this.flushSoon(0);
    } else {
      this.flushSoon(FLUSH_DELAY_MS);
    }
    return stored;
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    while (this.pendingRows > 0) await this.flush();
    await this.flushing;
  }

  private newBatch(): PendingBatch {
    const buffer = this.spare;
    this.spare = undefined;
    return new PendingBatch(new RequestLogRows(buffer));
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  /** Flushes are serialized so rows keep their order and at most one INSERT is in flight. */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.takeNextBatch();
      if (batch === undefined) return;
      this.pendingRows -= batch.rows.count;
      try {
        const refused = await this.store.insertRows(batch.rows);
        this.metrics.written.inc(batch.rows.count - refused.length);
        await this.writeBodies(batch);
        if (refused.length === 0) for (const waiter of batch.waiters) waiter.settle();
        else this.settleAround(batch, refused);
      } catch (error) {
        this.metrics.failedBatches.inc();
        this.logger.error(
          `Request-log batch of ${batch.rows.count} not written: ${error instanceof Error ? error.message : String(error)}`,
        );
        for (const waiter of batch.waiters) waiter.settle(error);
      }
      const storage = batch.rows.release();
      // A backlog's outsized buffer is let go: the next batches start small again.
      if (storage.length <= MAX_SPARE_BYTES) this.spare = storage;
      if (this.pendingRows > 0) this.flushSoon(0);
    });
    return this.flushing;
  }

  /**
   * After the rows: a failure of the database fails the batch (it is retried whole; rows and bodies are
   * both idempotent). Bodies PostgreSQL refuses for their data are dropped, their rows kept: a request is
   * logged whether or not its bodies could be.
   */
  private async writeBodies(batch: PendingBatch): Promise<void> {
    if (batch.bodies.length === 0) return;
    try {
      await this.bodies.insert(batch.bodies);
    } catch (error) {
      if (!isRowError(error)) throw error;
      this.logger.warn(
        `Captured bodies of ${batch.bodies.length} request(s) refused by PostgreSQL and dropped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** Rows dropped because PostgreSQL refused them, since start. */
  get refusedRows(): number {
    return this.refused;
  }

  /**
   * Each refused row is logged here, once, by request id and reason (never its body: it may hold what the
   * client sent); its caller learns which of its rows were refused, every other caller that they are stored.
   */
  private settleAround(batch: PendingBatch, refused: readonly RefusedRow[]): void {
    for (const row of refused) {
      this.refused++;
      this.metrics.refused.inc();
      this.logger.warn(`Request-log row ${row.requestId} refused by PostgreSQL and dropped (${this.refused} since start): ${row.reason}`);
    }
    for (const waiter of batch.waiters) {
      const mine = refused.filter(({ index }) => index >= waiter.first && index < waiter.first + waiter.count);
      waiter.settle(mine.length === 0 ? undefined : new RowsRefusedError(mine));
    }
  }

  private takeNextBatch(): PendingBatch | undefined {
    const closed = this.closed.shift();
    if (closed !== undefined) return closed;
    if (this.filling.rows.count === 0) return undefined;
    const batch = this.filling;
    this.filling = this.newBatch();
    return batch;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
}
