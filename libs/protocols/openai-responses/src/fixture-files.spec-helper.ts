import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SseParser, type SseEvent } from '@gw/sse';
import { fixturesRoot } from '../../../../test/support/recordings';

export const FIXTURES_DIR = fixturesRoot();

export function readFixture(relativePath: string): string {
  return readFileSync(join(FIXTURES_DIR, relativePath), 'utf8');
}

export function readJsonFixture(relativePath: string): unknown {
  return JSON.parse(readFixture(relativePath)) as unknown;
}

export function listFixtures(relativeDir: string, extension: string): string[] {
  return readdirSync(join(FIXTURES_DIR, relativeDir))
    .filter((name) => name.endsWith(extension))
    .sort();
}

export function parseSse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

/** Some recordings hold several consecutive responses (one per agent step): split at each `response.created`. */
export function splitResponses(events: SseEvent[]): SseEvent[][] {
  const streams: SseEvent[][] = [];
  for (const event of events) {
    const type = (JSON.parse(event.data) as { type?: string }).type;
    if (type === 'response.created' || streams.length === 0) streams.push([]);
    streams[streams.length - 1]?.push(event);
  }
  return streams;
}
