import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GatewayError, type IrStreamEvent } from '@gw/ir';
import type { SseEvent } from '@gw/sse';

export interface RelayDecoder {
  push(event: SseEvent): IrStreamEvent[];
  end(): IrStreamEvent[];
  readonly complete: boolean;
}

export interface RelayEncoder {
  push(event: IrStreamEvent): string;
  end(): string;
  fail(error: GatewayError): string;
}

/**
 * What the translating relay does with a stream, without I/O: decode, encode, and on an upstream error or a
 * stream cut before its terminal event, the client protocol's in-stream failure. Returns the IR events too.
 */
export function relayStream(events: SseEvent[], decoder: RelayDecoder, encoder: RelayEncoder): { ir: IrStreamEvent[]; out: string } {
  const ir: IrStreamEvent[] = [];
  let out = '';
  const encode = (batch: IrStreamEvent[]): void => {
    for (const event of batch) {
      ir.push(event);
      out += encoder.push(event);
    }
  };
  try {
    for (const event of events) encode(decoder.push(event));
    encode(decoder.end());
    if (!decoder.complete) throw new GatewayError('upstream_error', 'The upstream stream ended before its terminal event.');
    out += encoder.end();
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    out += encoder.fail(error);
  }
  return { ir, out };
}

const EXPECTED_DIR = join(__dirname, 'expected');

/**
 * Compares `value` with the committed JSON expectation `expected/<name>.json`. `UPDATE_GOLDEN=1` rewrites the
 * file instead (review the diff before committing); a missing file fails, so a new recording needs a look first.
 */
export function expectPinned(name: string, value: unknown): void {
  const path = join(EXPECTED_DIR, `${name}.json`);
  const actual = JSON.parse(JSON.stringify(value)) as unknown;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
    return;
  }
  if (!existsSync(path)) throw new Error(`no pinned expectation ${path}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toEqual(JSON.parse(readFileSync(path, 'utf8')));
}
