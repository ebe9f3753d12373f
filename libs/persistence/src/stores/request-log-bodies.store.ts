import type { DataSource } from 'typeorm';
import type { RequestFinishedEvent } from '@gw/contracts';
import { storableJson } from './request-log-rows';

/**
 * One event's captured bodies as the JSON text of its `request_log_bodies` row (U+0000 and lone surrogates
 * made storable, as for rows), and the event without them, for its `request_logs` row.
 */
export function splitCapture(event: RequestFinishedEvent): { row: RequestFinishedEvent; bodies?: string } {
  const { capture, ...row } = event;
  if (capture === undefined) return { row: event };
  const bodies = storableJson(
    JSON.stringify({
      requestId: event.requestId,
      startedAt: event.startedAt,
      requestBody: capture.request,
      responseBody: capture.response,
      requestTruncated: capture.requestTruncated,
      responseTruncated: capture.responseTruncated,
    }),
  );
  return { row, bodies };
}

/** Captured bodies (prompt and response capture, ADR 0011): written with their rows, deleted by their own retention. */
export class RequestLogBodiesStore {
  constructor(private readonly dataSource: DataSource) {}

  /** `bodies` from `splitCapture`, in one statement; idempotent on request id like the rows. */
  async insert(bodies: readonly string[]): Promise<void> {
    if (bodies.length === 0) return;
    await this.dataSource.query(INSERT_BODIES_SQL, [`[${bodies.join(',')}]`]);
  }

  /** Deletes up to `limit` bodies of requests that started before `cutoff`, oldest first; says how many went. */
  async deleteStartedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows = await this.dataSource.query<{ deleted: number }[]>(DELETE_OLDEST_SQL, [cutoff.toISOString(), limit]);
    return rows[0]?.deleted ?? 0;
  }
}

const INSERT_BODIES_SQL =
  `INSERT INTO "request_log_bodies" ("request_id", "started_at", "request_body", "response_body", "request_truncated", "response_truncated") ` +
  `SELECT "requestId", "startedAt", "requestBody", "responseBody", "requestTruncated", "responseTruncated" ` +
  `FROM json_to_recordset($1::json) AS batch("requestId" text, "startedAt" timestamptz, "requestBody" text, "responseBody" text, ` +
  `"requestTruncated" boolean, "responseTruncated" boolean) ON CONFLICT ("request_id") DO NOTHING`;

const DELETE_OLDEST_SQL =
  `WITH gone AS (DELETE FROM "request_log_bodies" WHERE "request_id" IN ` +
  `(SELECT "request_id" FROM "request_log_bodies" WHERE "started_at" < $1 ORDER BY "started_at" LIMIT $2) RETURNING 1) ` +
  `SELECT count(*)::int AS "deleted" FROM gone`;
