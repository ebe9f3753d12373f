import type { RequestFinishedEvent } from '@gw/contracts';

const decoder = new TextDecoder();

/**
 * A JetStream message's trace event, or why it is none. Only the shape that lets a row be named is checked
 * here (a JSON object with a string `requestId`); whatever else is wrong in it, PostgreSQL refuses as a row
 * error (a missing column, a value of the wrong type) and the writer drops that row alone.
 */
export function parseTraceEvent(data: Uint8Array): RequestFinishedEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch (error) {
    return `invalid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  if (typeof (value as { requestId?: unknown }).requestId !== 'string') return 'no string requestId';
  return value as RequestFinishedEvent;
}
