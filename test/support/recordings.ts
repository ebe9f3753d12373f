import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Access to the recorded provider traffic under `<fixtures>/upstream/**` (see fixtures/SOURCES.md).
 * Nothing here alters a recording: events are split at their blank-line boundaries so that joining
 * them gives back the file byte for byte.
 */

const FIXTURES_ENV = 'GATEWAY_FIXTURES_DIR';

/**
 * The fixtures folder: `$GATEWAY_FIXTURES_DIR`, else `test/fixtures` in this repository (a copy of the
 * workspace's shared recordings, so a clone tests on its own). Every test that reads a recording finds it here.
 */
export function fixturesRoot(): string {
  const folder = process.env[FIXTURES_ENV] ?? resolve(__dirname, '../fixtures');
  if (!existsSync(join(folder, 'upstream'))) throw new Error(`recordings: no upstream/ under ${folder}; set ${FIXTURES_ENV}`);
  return folder;
}

/** Reads `<fixtures>/upstream/<name>`, e.g. `openai-chat/text.sse`. */
export function readUpstreamRecording(name: string): string {
  return readFileSync(join(fixturesRoot(), 'upstream', name), 'utf8');
}

export interface SseEvent {
  /** The event exactly as recorded, including its terminating blank line. */
  raw: string;
  /** The `event:` field, if the provider sent one. */
  eventName: string | undefined;
  /** The `data:` payload (single-line in every recording here). */
  data: string | undefined;
}

/** Splits SSE text at event boundaries; `events.map(e => e.raw).join('')` equals the input. */
export function splitSseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const boundary = /\r?\n\r?\n/g;
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    events.push(parseSseEvent(text.slice(start, end)));
    start = end;
  }
  if (start < text.length) {
    const trailing = text.slice(start);
    // Stray bytes after the last boundary (e.g. a final newline) belong to the last event.
    const last = events.pop();
    events.push(last ? { ...last, raw: last.raw + trailing } : parseSseEvent(trailing));
  }
  return events;
}

function parseSseEvent(raw: string): SseEvent {
  let eventName: string | undefined;
  const dataLines: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.startsWith('event:')) eventName = line.slice('event:'.length).trim();
    else if (line.startsWith('data:')) dataLines.push(line.slice('data:'.length).replace(/^ /, ''));
  }
  return { raw, eventName, data: dataLines.length > 0 ? dataLines.join('\n') : undefined };
}

/** Parses an event's data as JSON; undefined for `[DONE]`, comments and non-JSON payloads. */
export function parseEventJson(event: SseEvent): Record<string, unknown> | undefined {
  if (event.data === undefined || !event.data.startsWith('{')) return undefined;
  return JSON.parse(event.data) as Record<string, unknown>;
}

/**
 * Some Responses recordings hold several consecutive responses (e.g. `reasoning-encrypted.sse` is a
 * four-step agent loop). Each starts with `response.created`. Returns one event list per response;
 * a single-response file (and every Chat Completions file) yields one group.
 */
export function splitRecordedResponses(events: SseEvent[]): SseEvent[][] {
  const groups: SseEvent[][] = [];
  for (const event of events) {
    const startsResponse = parseEventJson(event)?.['type'] === 'response.created';
    const current = groups[groups.length - 1];
    if (!current || (startsResponse && current.some((earlier) => parseEventJson(earlier)?.['type'] === 'response.created'))) {
      groups.push([event]);
    } else {
      current.push(event);
    }
  }
  return groups;
}

/**
 * The events of one recorded response. `responseIndex` is required when the file holds more than one
 * response, so a test never silently replays a whole multi-step recording as one answer.
 */
export function loadRecordedStream(name: string, responseIndex?: number): SseEvent[] {
  const groups = splitRecordedResponses(splitSseEvents(readUpstreamRecording(name)));
  if (responseIndex === undefined) {
    if (groups.length > 1) {
      throw new Error(`recordings: ${name} holds ${groups.length} responses; pass response: 0..${groups.length - 1}`);
    }
    return groups[0] ?? [];
  }
  const group = groups[responseIndex];
  if (!group) throw new Error(`recordings: ${name} has no response #${responseIndex} (it holds ${groups.length})`);
  return group;
}

/** Replaces the data payload of an event, keeping its `event:` line and framing bytes. */
export function withEventData(event: SseEvent, data: string): SseEvent {
  if (event.data === undefined || event.data.includes('\n')) {
    throw new Error('recordings: can only substitute into events with a single data line');
  }
  const dataLine = /^data: ?.*$/m.exec(event.raw);
  if (!dataLine) throw new Error('recordings: event has no data line');
  const prefix = dataLine[0].startsWith('data: ') ? 'data: ' : 'data:';
  const raw = event.raw.slice(0, dataLine.index) + prefix + data + event.raw.slice(dataLine.index + dataLine[0].length);
  return { raw, eventName: event.eventName, data };
}

export function joinSseEvents(events: readonly SseEvent[]): string {
  return events.map((event) => event.raw).join('');
}
