import { Controller, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TraceSubjects, type RequestFinishedEvent } from '@gw/contracts';
import { RequestLogWriter, RowsRefusedError } from './request-log.writer';

/** At most one log line per this interval for rows that could not be written. */
const FAILURE_REPORT_INTERVAL_MS = 5_000;

/**
 * Embedded mode: trace events arrive over the in-process bus (there is no JetStream in one process).
 * There is no redelivery here, so a row the writer cannot store (database down, queue full) is lost; that is
 * reported, but as one line per interval with a count: a database outage under load fails thousands of
 * rows a second, and one line each would bury everything else in the log.
 */
@Controller()
export class TraceEventsController implements OnApplicationShutdown {
  private readonly logger = new Logger(TraceEventsController.name);
  /** Failures since the last line, while a report window is open. */
  private unreported = 0;
  private lastReason = '';
  private window?: NodeJS.Timeout;

  constructor(private readonly writer: RequestLogWriter) {}

  @EventPattern(TraceSubjects.requestsFinished)
  async onRequestsFinished(@Payload() events: RequestFinishedEvent[]): Promise<void> {
    try {
      await this.writer.writeAll(events);
    } catch (error) {
      // Rows PostgreSQL refused were each logged by the writer already; the rest of their call is stored.
      if (!(error instanceof RowsRefusedError)) this.reportFailure(error, events.length);
    }
  }

  /** What the open window counted is not lost with the process. */
  onApplicationShutdown(): void {
    clearTimeout(this.window);
    this.window = undefined;
    this.reportUnreported();
  }

  /** The first failure is logged at once; later ones are counted and logged when the window closes. */
  private reportFailure(error: unknown, rows: number): void {
    this.lastReason = error instanceof Error ? error.message : String(error);
    if (this.window) {
      this.unreported += rows;
      return;
    }
    this.logger.error(`${rows === 1 ? 'Request-log row' : `${rows} request-log rows`} not written: ${this.lastReason}`);
    this.openWindow();
  }

  private openWindow(): void {
    this.window = setTimeout(() => {
      this.window = undefined;
      if (this.reportUnreported()) this.openWindow();
    }, FAILURE_REPORT_INTERVAL_MS);
    this.window.unref();
  }

  private reportUnreported(): boolean {
    if (this.unreported === 0) return false;
    this.logger.error(`${this.unreported} more request-log rows not written: ${this.lastReason}`);
    this.unreported = 0;
    return true;
  }
}
