import { UsageError } from './exit-codes';
import type { RequestLogView } from './views';

/**
 * `--since 10m`, `2h`, `1d`, `30s` (before now) or an ISO 8601 time; the API takes ISO 8601.
 */
export function timeArgument(text: string, now: Date, option = '--since'): string {
  const relative = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (relative !== null) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(relative[1]) * unit).toISOString();
  }
  const absolute = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(absolute))
    throw new UsageError(`${option} is a time like 2026-12-05T06:00:00Z or a duration back from now like 30s, 10m, 2h, 1d (got "${text}")`);
  return new Date(absolute).toISOString();
}

/**
 * How far back each poll of `logs --follow` looks before the newest row already seen. A row is written when
 * its request finishes, but ordered by when it started: a long stream that started before rows already
 * shown appears late. Rows that started within this window are still caught; older late rows are not
 * shown by --follow (a plain `axonhub logs` lists them).
 */
export const LATE_ROW_WINDOW_MS = 15 * 60_000;

/** What `logs --follow` has shown: new rows of each poll, oldest first, each once. */
export class LogTail {
  private readonly seen = new Map<string, number>();
  private newestStartMs: number | undefined;

  constructor(private readonly lateWindowMs = LATE_ROW_WINDOW_MS) {}

  /** The `since` of the next poll: the window before the newest row seen (or `floor`, if later). */
  nextSince(floor: string | undefined): string | undefined {
    if (this.newestStartMs === undefined) return floor;
    const windowStart = this.newestStartMs - this.lateWindowMs;
    const floorMs = floor === undefined ? Number.NEGATIVE_INFINITY : Date.parse(floor);
    return new Date(Math.max(windowStart, floorMs)).toISOString();
  }

  /** True when every row of this page was shown before: older pages need not be fetched. */
  allSeen(rows: readonly RequestLogView[]): boolean {
    return rows.every((row) => this.seen.has(row.request_id));
  }

  /** Takes rows in any order; returns the ones not shown before, oldest first, and remembers them. */
  accept(rows: readonly RequestLogView[]): RequestLogView[] {
    const fresh = rows.filter((row) => !this.seen.has(row.request_id));
    const ordered = [...new Map(fresh.map((row) => [row.request_id, row])).values()].sort(
      (left, right) => Date.parse(left.started_at) - Date.parse(right.started_at) || left.request_id.localeCompare(right.request_id),
    );
    for (const row of ordered) {
      const startMs = Date.parse(row.started_at);
      this.seen.set(row.request_id, startMs);
      if (this.newestStartMs === undefined || startMs > this.newestStartMs) this.newestStartMs = startMs;
    }
    this.forgetOld();
    return ordered;
  }

  /** Rows that started before the window can no longer come back in a poll: forgetting them bounds memory. */
  private forgetOld(): void {
    if (this.newestStartMs === undefined) return;
    const oldest = this.newestStartMs - this.lateWindowMs;
    for (const [id, startMs] of this.seen) if (startMs < oldest) this.seen.delete(id);
  }
}
