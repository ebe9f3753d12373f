import { systemCodecContext, timeOrderedUuid } from './ids';

describe('timeOrderedUuid', () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a version 7 UUID whose first 48 bits are the Unix milliseconds', () => {
    const nowMs = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = timeOrderedUuid(nowMs);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(nowMs);
  });

  it('sorts by time as text, so index inserts land at its right edge', () => {
    const ids = [0, 1, 255, 256, 65_535, 65_536, Date.now(), 2 ** 48 - 1].map((ms) => timeOrderedUuid(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(UUID_V7);
  });
});

describe('systemCodecContext.newId', () => {
  it('is the prefix and 24 hex digits, never twice the same, across refills of its random pool', () => {
    const ids = Array.from({ length: 1_000 }, () => systemCodecContext.newId('msg')); // 12 KB: three refills
    for (const id of ids) expect(id).toMatch(/^msg_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
