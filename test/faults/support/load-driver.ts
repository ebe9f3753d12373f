import { CLIENT_PATHS, clientKeyHeader, clientRequestBody } from './client-paths';
import { postRaw } from './raw-client';

/** One request of a load run, as the client saw it. */
export interface LoadOutcome {
  index: number;
  /** 0 when no answer arrived (connection refused or reset before a status line). */
  status: number;
  /** `AH-Request-Id`, when the answer carried one: a request-log row must exist for it. */
  requestId: string | undefined;
  /** Sent and answered while `window()` said so (e.g. while the routing service was down). */
  inWindow: boolean;
}

export interface LoadRun {
  outcomes: LoadOutcome[];
  /** Requests finished so far, answered or not. */
  finished(): number;
  done: Promise<LoadOutcome[]>;
}

/**
 * Sends `total` requests with `concurrency` in flight to the gateway at `origin`, cycling over the client/channel
 * paths, streamed and not, each to the fake upstream's default recordings.
 */
export function startLoad(origin: string, apiKey: string, total: number, concurrency: number, window: () => boolean): LoadRun {
  const outcomes: LoadOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < total; index = next++) {
      const path = CLIENT_PATHS[index % CLIENT_PATHS.length];
      if (!path) throw new Error('faults: no client paths');
      const stream = Math.floor(index / CLIENT_PATHS.length) % 2 === 0;
      const inWindowAtStart = window();
      const answer = await postRaw(
        `${origin}${path.endpoint(stream)}`,
        clientRequestBody(path, `load-${index}`, stream),
        clientKeyHeader(path, apiKey),
        30_000,
      );
      const requestId = answer.headers['ah-request-id'];
      outcomes.push({
        index,
        status: answer.status,
        requestId: typeof requestId === 'string' ? requestId : undefined,
        inWindow: inWindowAtStart && window(),
      });
    }
  };
  const done = Promise.all(Array.from({ length: concurrency }, worker)).then(() => outcomes);
  return { outcomes, finished: () => outcomes.length, done };
}

/** Resolves once `condition` holds (polled: the load driver has no events to wait on). */
export async function until(condition: () => boolean, description: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`faults: timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
