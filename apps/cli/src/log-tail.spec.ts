import { UsageError } from './exit-codes';
import { LogTail, timeArgument } from './log-tail';
import type { RequestLogView } from './views';

const now = new Date('2026-12-05T12:00:00.000Z');

function row(id: string, startedAt: string): RequestLogView {
  return {
    request_id: id,
    project: 'default',
    api_key_id: 'k',
    conversation_key: null,
    requested_model: 'gpt-5',
    mapped_model: 'deepseek-chat',
    channel: 'c',
    status: 200,
    error_code: null,
    error_message: null,
    started_at: startedAt,
    latency_ms: 10,
    ttft_ms: null,
    tokens: null,
    warnings: [],
    stream: false,
    endpoint: '/v1/responses',
  };
}

describe('timeArgument', () => {
  it('takes durations back from now', () => {
    expect(timeArgument('30s', now)).toBe('2026-12-05T11:59:30.000Z');
    expect(timeArgument('10m', now)).toBe('2026-12-05T11:50:00.000Z');
    expect(timeArgument('2h', now)).toBe('2026-12-05T10:00:00.000Z');
    expect(timeArgument('1d', now)).toBe('2026-12-04T12:00:00.000Z');
  });

  it('takes ISO 8601 times and dates', () => {
    expect(timeArgument('2026-12-01T08:00:00+01:00', now)).toBe('2026-12-01T07:00:00.000Z');
    expect(timeArgument('2026-12-01', now)).toBe('2026-12-01T00:00:00.000Z');
  });

  it('refuses anything else as a usage error', () => {
    for (const text of ['yesterday', '10', '5w', '1700000000']) expect(() => timeArgument(text, now)).toThrow(UsageError);
  });
});

describe('LogTail', () => {
  it('prints each row once, oldest first, whatever order the pages come in', () => {
    const tail = new LogTail();
    const first = tail.accept([row('b', '2026-12-05T11:00:02Z'), row('a', '2026-12-05T11:00:01Z')]);
    expect(first.map((item) => item.request_id)).toEqual(['a', 'b']);
    const next = tail.accept([row('c', '2026-12-05T11:00:03Z'), row('b', '2026-12-05T11:00:02Z'), row('c', '2026-12-05T11:00:03Z')]);
    expect(next.map((item) => item.request_id)).toEqual(['c']);
    expect(tail.allSeen([row('a', '2026-12-05T11:00:01Z'), row('c', '2026-12-05T11:00:03Z')])).toBe(true);
    expect(tail.allSeen([row('d', '2026-12-05T11:00:04Z')])).toBe(false);
  });

  it('still shows a row written late that started before rows already shown (a long stream)', () => {
    const tail = new LogTail(60_000);
    tail.accept([row('late-start-second', '2026-12-05T11:00:10Z')]);
    const late = tail.accept([row('late-start-second', '2026-12-05T11:00:10Z'), row('long-stream', '2026-12-05T11:00:00Z')]);
    expect(late.map((item) => item.request_id)).toEqual(['long-stream']);
  });

  it('polls from the window before the newest row seen, never before --since', () => {
    const tail = new LogTail(60_000);
    expect(tail.nextSince(undefined)).toBeUndefined();
    expect(tail.nextSince('2026-12-05T10:00:00.000Z')).toBe('2026-12-05T10:00:00.000Z');
    tail.accept([row('a', '2026-12-05T11:00:00.000Z')]);
    expect(tail.nextSince(undefined)).toBe('2026-12-05T10:59:00.000Z');
    expect(tail.nextSince('2026-12-05T10:59:30.000Z')).toBe('2026-12-05T10:59:30.000Z');
  });

  it('forgets rows older than the window (bounded memory), so they are not re-polled', () => {
    const tail = new LogTail(60_000);
    tail.accept([row('old', '2026-12-05T11:00:00Z')]);
    tail.accept([row('new', '2026-12-05T11:05:00Z')]);
    expect(tail.allSeen([row('old', '2026-12-05T11:00:00Z')])).toBe(false);
    expect(tail.allSeen([row('new', '2026-12-05T11:05:00Z')])).toBe(true);
  });
});
