import { Client } from 'pg';

/**
 * Request-log rows read as the trace service wrote them: every column of a row, as JSON text
 * (`row_to_json`), so a leak in any column is seen, including columns added later.
 */
export class RequestLogRows {
  private constructor(private readonly client: Client) {}

  static async connect(databaseUrl: string): Promise<RequestLogRows> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new RequestLogRows(client);
  }

  /** Every row with this request id, each as the JSON text of all its columns. */
  async rowsAsJson(requestId: string): Promise<string[]> {
    const result = await this.client.query<{ json: string }>(
      'SELECT row_to_json(r)::text AS json FROM request_logs r WHERE request_id = $1',
      [requestId],
    );
    return result.rows.map((row) => row.json);
  }

  /** Polls until a row for `requestId` exists (rows are written in batches, after the answer) or `timeoutMs` passes. */
  async waitForRows(requestId: string, timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let rows = await this.rowsAsJson(requestId);
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      rows = await this.rowsAsJson(requestId);
    }
    return rows;
  }

  /** How many rows each of these request ids has (ids without a row are absent from the map). */
  async countByRequestId(requestIds: readonly string[]): Promise<Map<string, number>> {
    const result = await this.client.query<{ request_id: string; rows: number }>(
      'SELECT request_id, count(*)::int AS rows FROM request_logs WHERE request_id = ANY($1::text[]) GROUP BY request_id',
      [requestIds],
    );
    return new Map(result.rows.map((row) => [row.request_id, row.rows]));
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
