/** Plain aligned tables for people; `--json` bypasses them. No colour unless stdout is a terminal. */

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** Numbers read better right-aligned. */
  align?: 'left' | 'right';
}

export interface TableStyle {
  /** Bold headers (ANSI) when writing to a terminal and NO_COLOR is not set. */
  color: boolean;
}

export function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(cell).join(',');
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : (JSON.stringify(value) ?? '');
  // Control characters (a newline in an error message) would break the rows apart.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

/** Rows under a header, columns two spaces apart, the last column not padded. Empty: `(none)`. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], style: TableStyle = { color: false }): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => cell(column.value(row))));
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((line) => line[index]!.length)));
  const format = (values: readonly string[]): string =>
    values
      .map((value, index) => {
        const last = index === values.length - 1;
        if (columns[index]!.align === 'right') return value.padStart(widths[index]!);
        return last ? value : value.padEnd(widths[index]!);
      })
      .join('  ')
      .trimEnd();
  const header = format(columns.map((column) => column.header.toUpperCase()));
  const lines = [style.color ? `\u001b[1m${header}\u001b[0m` : header, ...cells.map(format)];
  return `${lines.join('\n')}\n`;
}

/** One record as `label: value` lines, labels aligned (for `show` commands). */
export function renderRecord(fields: readonly [string, unknown][]): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${`${label}:`.padEnd(width + 1)} ${cell(value)}`.trimEnd()).join('\n') + '\n';
}
