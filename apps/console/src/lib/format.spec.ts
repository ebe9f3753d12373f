import { formatCount, formatDuration, formatTime, fromLocalInput, statusTone, toLocalInput } from './format';

describe('console formatting', () => {
  it('writes durations in the unit a reader expects', () => {
    expect(formatDuration(87.4)).toBe('87 ms');
    expect(formatDuration(1_234)).toBe('1.23 s');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBe('—');
  });

  it('writes counts compactly from ten thousand up', () => {
    expect(formatCount(9_999)).toBe('9999');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(3_456_789)).toBe('3.46M');
    expect(formatCount(undefined)).toBe('—');
  });

  it('writes times to the second in local time, and leaves what is not a time alone', () => {
    const local = new Date(2026, 11, 5, 9, 4, 7);
    expect(formatTime(local.toISOString())).toBe('2026-12-05 09:04:07');
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime(null)).toBe('—');
  });

  it('converts between datetime-local inputs and instants', () => {
    const instant = new Date(2026, 11, 5, 9, 30).toISOString();
    expect(toLocalInput(instant)).toBe('2026-12-05T09:30');
    expect(fromLocalInput('2026-12-05T09:30')).toBe(instant);
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('soon')).toBeUndefined();
  });

  it('colours a status by what went wrong (a client that went away counts as a failure)', () => {
    expect([200, 404, 429, 499, 502].map(statusTone)).toEqual(['ok', 'client-error', 'client-error', 'server-error', 'server-error']);
  });
});
