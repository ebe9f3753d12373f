/** Small value formats shared by the tables. */

/** `2026-12-05T06:01:02.345Z` → `2026-12-05 06:01:02` (UTC, as the API gives it); other text unchanged. */
export function shortTime(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(value);
  return match === null ? value : `${match[1]} ${match[2]}`;
}

export function milliseconds(value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value >= 10_000 ? `${(value / 1000).toFixed(1)}s` : `${Math.round(value)}ms`;
}
