import { randomBytes } from 'node:crypto';

/** Ids and clock are injected into codecs so golden tests are deterministic. */
export interface CodecContext {
  newId(prefix: string): string;
  /** Unix seconds. */
  now(): number;
}

export const systemCodecContext: CodecContext = {
  newId: (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`,
  now: () => Math.floor(Date.now() / 1000),
};

/** Deterministic context for tests: `prefix_1`, `prefix_2`, ... and a fixed clock. */
export function sequentialCodecContext(fixedNow = 1_700_000_000): CodecContext {
  let counter = 0;
  return { newId: (prefix) => `${prefix}_${++counter}`, now: () => fixedNow };
}
