/** Messages between the orchestrator (run-bench) and the load generator process. */

export interface LoadSpec {
  /** Full URL of the endpoint under test. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Fixed number of keep-alive connections, one request in flight on each. */
  connections: number;
  /** A response counts as OK only with status 200 and this text in its first or last bytes. */
  expect: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** A few distinct error descriptions (status + body excerpt, or exception message). */
  errorSamples: string[];
  seconds: number;
  rps: number;
  /** Whole-response latency, ms (null: no successful request). */
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  /** Time to the first body bytes, ms (meaningful for streams). */
  ttfbP50: number | null;
  ttfbP99: number | null;
  /** CPU the generator itself used during the window, % of one core: near 100 means it limited the cell. */
  generatorCpuPct: number;
}

/** `specs`: the targets loaded in the same window (one, or two for an A/B on the same seconds of the machine). */
export type ToGenerator = { type: 'run'; specs: LoadSpec[]; warmupS: number; durationS: number } | { type: 'exit' };
export type FromGenerator = { type: 'measuring' } | { type: 'result'; results: LoadResult[] } | { type: 'failed'; error: string };
