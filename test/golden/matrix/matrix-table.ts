/** The printed matrix: one row per scenario and upstream, one column per client protocol. */
export class MatrixTable {
  private readonly rows = new Map<string, Map<string, string>>();
  private readonly columns: string[] = [];

  constructor(private readonly title: string) {}

  /** Rows print in the order they are declared (while tests are collected), whatever order verdicts arrive in. */
  declare(row: string): void {
    if (!this.rows.has(row)) this.rows.set(row, new Map());
  }

  record(row: string, column: string, verdict: string): void {
    if (!this.columns.includes(column)) this.columns.push(column);
    const cells = this.rows.get(row) ?? new Map<string, string>();
    cells.set(column, verdict);
    this.rows.set(row, cells);
  }

  /** A row whose recording does not exist: every column says so, nothing was run. */
  missing(row: string, columns: readonly string[]): void {
    for (const column of columns) this.record(row, column, 'missing');
  }

  render(): string {
    const header = ['', ...this.columns];
    const lines = [...this.rows].map(([row, cells]) => [row, ...this.columns.map((column) => cells.get(column) ?? '-')]);
    const widths = header.map((_, index) => Math.max(...[header, ...lines].map((line) => (line[index] ?? '').length)));
    const format = (line: string[]): string => line.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ');
    return [this.title, format(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...lines.map(format)].join('\n');
  }
}
