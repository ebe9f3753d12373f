import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sequentialCodecContext, type IrStreamEvent, type ToolNameMap } from '@gw/ir';
import { SseParser, type SseEvent } from '@gw/sse';
import { fixturesRoot } from '../support/recordings';

/** A recorded upstream stream as the gateway receives it, parsed into SSE events (split into small chunks). */
export function recordedEvents(relativePath: string): SseEvent[] {
  return sseEventsInChunks(readFileSync(join(fixturesRoot(), 'upstream', relativePath)));
}

/** SSE bytes parsed into events the way they arrive from a network: in small chunks cut in odd places. */
export function sseEventsInChunks(bytes: Buffer): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  // Chunk boundaries in odd places, as a network would cut them.
  for (let offset = 0; offset < bytes.length; offset += 37) events.push(...parser.push(bytes.subarray(offset, offset + 37)));
  return [...events, ...parser.end()];
}

export function recordingNames(protocolFolder: string): string[] {
  return readdirSync(join(fixturesRoot(), 'upstream', protocolFolder)).filter((name) => name.endsWith('.sse'));
}

/** Upstream SSE → decoder → IR → client encoder: exactly what the translating relay does, without I/O. */
export function translate(
  events: SseEvent[],
  decoder: { push(event: SseEvent): IrStreamEvent[]; end(): IrStreamEvent[] },
  encoder: { push(event: IrStreamEvent): string; end(): string },
): string {
  let out = '';
  for (const event of events) for (const ir of decoder.push(event)) out += encoder.push(ir);
  for (const ir of decoder.end()) out += encoder.push(ir);
  return out + encoder.end();
}

export function parseClientSse(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

export const goldenContext = (): ReturnType<typeof sequentialCodecContext> => sequentialCodecContext();
export type { ToolNameMap };
