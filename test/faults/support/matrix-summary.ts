/**
 * The fault × path table printed at the end of a run (for the note): `ok`, or the requirements a cell
 * broke; `-` where the fault does not exist for that column (e.g. a stream cut of a non-streamed answer).
 */
export class MatrixSummary {
  private readonly cells = new Map<string, Map<string, string>>();
  private readonly faultOrder: string[] = [];
  private readonly columnOrder: string[] = [];

  constructor(private readonly title: string) {}

  record(faultId: string, column: string, failedRequirements: readonly string[]): void {
    if (!this.faultOrder.includes(faultId)) this.faultOrder.push(faultId);
    if (!this.columnOrder.includes(column)) this.columnOrder.push(column);
    const row = this.cells.get(faultId) ?? new Map<string, string>();
    row.set(column, failedRequirements.length === 0 ? 'ok' : `FAIL:${failedRequirements.join('+')}`);
    this.cells.set(faultId, row);
  }

  render(): string {
    const columns = this.columnOrder;
    const header = ['fault', ...columns];
    const rows = this.faultOrder.map((faultId) => [faultId, ...columns.map((column) => this.cells.get(faultId)?.get(column) ?? '-')]);
    const all = [header, ...rows];
    const widths = header.map((_, index) => Math.max(...all.map((row) => (row[index] ?? '').length)));
    const line = (row: string[]): string => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ');
    const results = rows.flatMap((row) => row.slice(1)).filter((cell) => cell !== '-');
    const passed = results.filter((cell) => cell === 'ok').length;
    return [
      `${this.title}: ${passed}/${results.length} cells pass`,
      line(header),
      widths.map((width) => '-'.repeat(width)).join('-|-'),
      ...rows.map(line),
    ].join('\n');
  }
}
