import { retryDelayMs } from './jetstream-trace.consumer';
import { parseTraceEvent } from './trace-event-message';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseTraceEvent', () => {
  it('returns the event of a JSON object with a string requestId, lone surrogate escapes included', () => {
    expect(parseTraceEvent(bytes('{"requestId":"r1","requestedModel":"\\ud800","status":404}'))).toEqual({
      requestId: 'r1',
      requestedModel: '\ud800',
      status: 404,
    });
  });

  it('says why a message is no trace event', () => {
    expect(parseTraceEvent(bytes('{not json'))).toMatch(/^invalid JSON/);
    expect(parseTraceEvent(bytes(''))).toMatch(/^invalid JSON/);
    expect(parseTraceEvent(bytes('42'))).toBe('not a JSON object');
    expect(parseTraceEvent(bytes('null'))).toBe('not a JSON object');
    expect(parseTraceEvent(bytes('[{"requestId":"r1"}]'))).toBe('not a JSON object');
    expect(parseTraceEvent(bytes('{"requestId":7}'))).toBe('no string requestId');
  });
});

describe('retryDelayMs', () => {
  it('doubles from one second after each failed delivery, and stays at a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });
});
