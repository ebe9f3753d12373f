import type { AdminErrorBody, AdminErrorCode, AdminReply } from '@gw/contracts';

/** A refusal the admin API reports as is (its code becomes the HTTP status in ingress). */
export class AdminFailure extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AdminFailure';
  }

  toBody(): AdminErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export const invalid = (message: string, details?: Record<string, unknown>): AdminFailure =>
  new AdminFailure('invalid_request', message, details);
export const notFound = (message: string): AdminFailure => new AdminFailure('not_found', message);
export const conflict = (message: string): AdminFailure => new AdminFailure('conflict', message);
export const forbidden = (message: string): AdminFailure => new AdminFailure('forbidden', message);

/**
 * Runs a command and answers with a reply for the bus. Refusals travel as values; anything else is a bug or
 * an outage: it is rethrown, the caller sees the bus error and ingress answers 503.
 */
export async function toAdminReply<T>(run: () => Promise<T>): Promise<AdminReply<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (error instanceof AdminFailure) return { ok: false, error: error.toBody() };
    throw error;
  }
}

/** PostgreSQL's unique_violation, through TypeORM's QueryFailedError. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    (error as { driverError?: { code?: string }; code?: string })?.driverError?.code === '23505' ||
    (error as { code?: string })?.code === '23505'
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are checked before they reach PostgreSQL, which would refuse a malformed uuid with an error. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Names of projects, keys, tokens and profiles: they appear in paths and logs, so a safe alphabet. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

export function requireName(value: unknown, field: string): string {
  if (!isName(value)) {
    throw invalid(`${field} must be 1 to 64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit`, { field });
  }
  return value;
}

export function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} must be a JSON object`);
  return value as Record<string, unknown>;
}
