import type { RequestLogFilters } from '@gw/contracts';
import { invalid, isUuid, requireName } from './admin-failure';

export const DEFAULT_REQUEST_LOG_PAGE = 50;
export const MAX_REQUEST_LOG_PAGE = 200;
/** Model, channel and conversation values longer than this match no row anyway; refused before SQL. */
const MAX_VALUE_LENGTH = 512;

/** `status=`: one code, a class (`4xx` → 400..499) or `error` (400 and up), as a range. */
export interface StatusRange {
  from: number;
  to: number;
}

/** The request-log filters, checked and typed; what is absent filters nothing. */
export interface ParsedRequestLogFilters {
  projectName?: string;
  apiKeyId?: string;
  model?: string;
  requestedModel?: string;
  mappedModel?: string;
  channel?: string;
  status?: StatusRange;
  conversation?: string;
  since?: Date;
  until?: Date;
}

/**
 * A keyset position: the row's `started_at` as PostgreSQL's exact text (microseconds) and its request id,
 * the order's tie-breaker. Rows inserted later never shift a page boundary (unlike an offset).
 */
export interface RequestLogCursor {
  startedAt: string;
  requestId: string;
}

export function parseRequestLogFilters(filters: RequestLogFilters): ParsedRequestLogFilters {
  const parsed: ParsedRequestLogFilters = {};
  const project = optionalString(filters.project, 'project');
  if (project !== undefined) parsed.projectName = requireName(project, 'project');
  const apiKey = optionalString(filters.api_key, 'api_key');
  if (apiKey !== undefined) {
    if (!isUuid(apiKey)) throw invalid('api_key must be an API key id (a UUID)', { field: 'api_key' });
    parsed.apiKeyId = apiKey;
  }
  parsed.model = optionalString(filters.model, 'model');
  parsed.requestedModel = optionalString(filters.requested_model, 'requested_model');
  parsed.mappedModel = optionalString(filters.mapped_model, 'mapped_model');
  parsed.channel = optionalString(filters.channel, 'channel');
  parsed.conversation = optionalString(filters.conversation, 'conversation');
  const status = optionalString(filters.status, 'status');
  if (status !== undefined) parsed.status = parseStatus(status);
  parsed.since = optionalTime(filters.since, 'since');
  parsed.until = optionalTime(filters.until, 'until');
  if (parsed.since && parsed.until && parsed.since.getTime() > parsed.until.getTime()) {
    throw invalid('since must not be after until', { field: 'since' });
  }
  return parsed;
}

export function parseStatus(value: string): StatusRange {
  if (value === 'error') return { from: 400, to: 599 };
  const exact = /^([1-5][0-9][0-9])$/.exec(value);
  if (exact) return { from: Number(exact[1]), to: Number(exact[1]) };
  const family = /^([1-5])xx$/i.exec(value);
  if (family) return { from: Number(family[1]) * 100, to: Number(family[1]) * 100 + 99 };
  throw invalid('status must be a code (429), a class (2xx, 4xx, 5xx) or "error"', { field: 'status' });
}

export function parsePageSize(value: unknown): number {
  const text = optionalString(value, 'limit');
  if (text === undefined) return DEFAULT_REQUEST_LOG_PAGE;
  const size = /^[0-9]{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(size >= 1 && size <= MAX_REQUEST_LOG_PAGE)) {
    throw invalid(`limit must be a whole number from 1 to ${MAX_REQUEST_LOG_PAGE}`, { field: 'limit' });
  }
  return size;
}

/** Opaque to clients: base64url of `[started_at, request_id]`. */
export function encodeCursor(cursor: RequestLogCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.requestId]), 'utf8').toString('base64url');
}

export function parseCursor(value: unknown): RequestLogCursor | undefined {
  const text = optionalString(value, 'cursor');
  if (text === undefined) return undefined;
  const refused = invalid('cursor must be the next_cursor of a previous page', { field: 'cursor' });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw refused;
  const [startedAt, requestId] = decoded as unknown[];
  if (typeof startedAt !== 'string' || !ISO_TIME.test(startedAt) || Number.isNaN(Date.parse(startedAt))) throw refused;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > MAX_VALUE_LENGTH) throw refused;
  return { startedAt, requestId };
}

/** `2026-12-05`, `2026-12-05T06:00:00Z`, `2026-12-05T06:00:00.123+01:00`: ISO 8601 dates and times. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

export function optionalTime(value: unknown, field: string): Date | undefined {
  const text = optionalString(value, field);
  if (text === undefined) return undefined;
  const time = ISO_TIME.test(text) ? new Date(text) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw invalid(`${field} must be an ISO 8601 time, e.g. 2026-12-05T06:00:00Z`, { field });
  }
  return time;
}

/** A query parameter given once, not empty (empty filters nothing), of a sane length. */
export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be given once, as text`, { field });
  if (value.length > MAX_VALUE_LENGTH) throw invalid(`${field} must be at most ${MAX_VALUE_LENGTH} characters`, { field });
  return value;
}

/** A usage query's window and buckets, validated (`GET /admin/v1/usage`). */
export interface UsageWindow {
  since: Date;
  until: Date;
  bucketSeconds: number;
  groupBy: 'model' | 'channel';
}

/** At most this many buckets per group: enough for a minute-by-minute day, never a runaway GROUP BY. */
export const MAX_USAGE_BUCKETS = 1_500;

/** Defaults: the last 24 hours, hourly, by model. */
export function parseUsageWindow(
  query: { since?: unknown; until?: unknown; bucket_seconds?: unknown; group_by?: unknown },
  now: Date,
): UsageWindow {
  const until = optionalTime(query.until, 'until') ?? now;
  const since = optionalTime(query.since, 'since') ?? new Date(until.getTime() - 24 * 3_600_000);
  if (since.getTime() >= until.getTime()) throw invalid('since must be before until', { field: 'since' });
  const bucketText = optionalString(query.bucket_seconds, 'bucket_seconds');
  const bucketSeconds = bucketText === undefined ? 3_600 : Number(bucketText);
  if (!/^\d+$/.test(bucketText ?? '3600') || !Number.isInteger(bucketSeconds) || bucketSeconds < 60 || bucketSeconds > 86_400 * 31) {
    throw invalid('bucket_seconds must be a whole number of seconds from 60 to 2678400 (31 days)', { field: 'bucket_seconds' });
  }
  if ((until.getTime() - since.getTime()) / (bucketSeconds * 1_000) > MAX_USAGE_BUCKETS) {
    throw invalid(`bucket_seconds is too small for this range: at most ${MAX_USAGE_BUCKETS} buckets`, { field: 'bucket_seconds' });
  }
  const groupBy = optionalString(query.group_by, 'group_by') ?? 'model';
  if (groupBy !== 'model' && groupBy !== 'channel') throw invalid('group_by must be "model" or "channel"', { field: 'group_by' });
  return { since, until, bucketSeconds, groupBy };
}
