/**
 * Whether a failed INSERT was refused for the data it carried (some row is wrong and will stay wrong) or
 * for a reason of the database itself (down, restarting, out of disk, a schema not migrated yet).
 *
 * Only data errors blame rows: SQLSTATE class 22 (data exception: a number out of range, text PostgreSQL
 * cannot hold, a malformed uuid or timestamp) and class 23 (integrity constraint violation: a NOT NULL
 * column missing). Splitting a batch to find the bad row is worth it only then; any other failure
 * (no SQLSTATE at all, as with a refused connection, or classes 08, 53, 57, 40, 42...) would fail every
 * half the same way, so the batch fails whole and is retried later.
 */
export function isRowError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && ROW_ERROR_CLASS.test(code);
}

const ROW_ERROR_CLASS = /^2[23][0-9A-Z]{3}$/;

/** The SQLSTATE of a pg error, whether thrown as is or wrapped by TypeORM (`QueryFailedError.driverError`). */
function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}
