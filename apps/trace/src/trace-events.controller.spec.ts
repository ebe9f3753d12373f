import { Logger } from '@nestjs/common';
import type { RequestFinishedEvent } from '@gw/contracts';
import type { RequestLogWriter } from './request-log.writer';
import { TraceEventsController } from './trace-events.controller';

describe('TraceEventsController failure reports', () => {
  let lines: string[];

  beforeEach(() => {
    jest.useFakeTimers();
    lines = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      lines.push(String(message));
    });
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** A writer whose database is down: every write is refused. */
  const downWriter = { writeAll: () => Promise.reject(new Error('the database system is shutting down')) } as unknown as RequestLogWriter;
  const events = (index: number): RequestFinishedEvent[] => [{ requestId: `req_${index}` } as RequestFinishedEvent];

  it('logs the first failed row at once and the rest as one counted line per window, not one line per row', async () => {
    const controller = new TraceEventsController(downWriter);
    for (let index = 0; index < 1000; index++) await controller.onRequestsFinished(events(index));
    expect(lines).toEqual(['Request-log row not written: the database system is shutting down']);

    jest.advanceTimersByTime(5_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('999 more request-log rows not written: the database system is shutting down');

    // A quiet window logs nothing and closes; the next failure is logged at once again.
    jest.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(2);
    await controller.onRequestsFinished(events(1000));
    expect(lines).toHaveLength(3);
  });

  it('counts every row of a failed batch', async () => {
    const controller = new TraceEventsController(downWriter);
    const batch = (from: number, size: number) =>
      Array.from({ length: size }, (_, index) => ({ requestId: `req_${from + index}` }) as RequestFinishedEvent);
    await controller.onRequestsFinished(batch(0, 3));
    await controller.onRequestsFinished(batch(3, 250));
    jest.advanceTimersByTime(5_000);
    expect(lines).toEqual([
      '3 request-log rows not written: the database system is shutting down',
      '250 more request-log rows not written: the database system is shutting down',
    ]);
  });

  it('reports what the open window counted when the app shuts down', async () => {
    const controller = new TraceEventsController(downWriter);
    for (let index = 0; index < 3; index++) await controller.onRequestsFinished(events(index));
    controller.onApplicationShutdown();
    expect(lines).toEqual([
      'Request-log row not written: the database system is shutting down',
      '2 more request-log rows not written: the database system is shutting down',
    ]);
  });
});
