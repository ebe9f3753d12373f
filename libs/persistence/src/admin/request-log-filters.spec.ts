import { AdminFailure } from './admin-failure';
import { encodeCursor, parseCursor, parsePageSize, parseRequestLogFilters, parseStatus } from './request-log-filters';

const refusal = (run: () => unknown): { code: string; field: unknown } | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof AdminFailure) return { code: error.code, field: error.details?.field };
    throw error;
  }
  return undefined;
};

describe('request-log filters', () => {
  it('reads a status as one code, a class or "error"', () => {
    expect(parseStatus('429')).toEqual({ from: 429, to: 429 });
    expect(parseStatus('4xx')).toEqual({ from: 400, to: 499 });
    expect(parseStatus('5XX')).toEqual({ from: 500, to: 599 });
    expect(parseStatus('error')).toEqual({ from: 400, to: 599 });
    for (const bad of ['600', '42', '4x', 'errors', ' 200'])
      expect(refusal(() => parseStatus(bad))).toEqual({ code: 'invalid_request', field: 'status' });
  });

  it('takes limits from 1 to 200, 50 when absent', () => {
    expect(parsePageSize(undefined)).toBe(50);
    expect(parsePageSize('200')).toBe(200);
    for (const bad of ['0', '201', '1.5', '-1', 'ten', ['1', '2']]) expect(refusal(() => parsePageSize(bad))?.field).toBe('limit');
  });

  it('round-trips its own cursor and refuses anything else', () => {
    const cursor = { startedAt: '2026-12-05T06:00:00.123456Z', requestId: '0193a1b2-0000-7000-8000-000000000000' };
    expect(parseCursor(encodeCursor(cursor))).toEqual(cursor);
    for (const bad of ['x', Buffer.from('{}').toString('base64url'), Buffer.from('["soon","id"]').toString('base64url')]) {
      expect(refusal(() => parseCursor(bad))?.field).toBe('cursor');
    }
  });

  it('checks every filter and leaves empty ones out', () => {
    expect(parseRequestLogFilters({ model: '', status: '2xx', since: '2026-12-05T06:00:00Z' })).toEqual({
      model: undefined,
      requestedModel: undefined,
      mappedModel: undefined,
      channel: undefined,
      conversation: undefined,
      status: { from: 200, to: 299 },
      since: new Date('2026-12-05T06:00:00Z'),
      until: undefined,
    });
    expect(refusal(() => parseRequestLogFilters({ api_key: 'abc' }))?.field).toBe('api_key');
    expect(refusal(() => parseRequestLogFilters({ since: '2026-12-05', until: '2026-12-04' }))?.field).toBe('since');
    expect(refusal(() => parseRequestLogFilters({ channel: 'x'.repeat(513) }))?.field).toBe('channel');
  });
});
