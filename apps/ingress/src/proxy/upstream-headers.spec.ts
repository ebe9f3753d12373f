import { isEventStreamMediaType, isJsonMediaType, readAnswerHeaders } from './upstream-headers';

describe('readAnswerHeaders', () => {
  it('reads the media type without parameters, lower-cased', () => {
    expect(readAnswerHeaders(200, { 'content-type': 'Application/JSON; charset=utf-8' })).toEqual({ contentType: 'application/json' });
    expect(readAnswerHeaders(200, {})).toEqual({ contentType: undefined });
  });

  it('keeps the back-off headers of an error answer, and only printable ones', () => {
    const headers = readAnswerHeaders(429, {
      'content-type': 'application/json',
      'retry-after': '7',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '7s',
      'x-request-id': 'req_1',
      'set-cookie': ['a=b'],
      'x-ratelimit-limit-tokens': 'bad\u0000value',
    });
    expect(headers.backoff).toEqual({ 'retry-after': '7', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '7s' });
  });

  it('does not read back-off headers on a success', () => {
    expect(readAnswerHeaders(200, { 'retry-after': '7' }).backoff).toBeUndefined();
  });
});

describe('media types', () => {
  it('tells JSON and event streams from the rest', () => {
    expect(['application/json', 'application/problem+json', 'text/json'].every(isJsonMediaType)).toBe(true);
    expect(isJsonMediaType('text/html')).toBe(false);
    expect(isEventStreamMediaType('text/event-stream')).toBe(true);
    expect(isEventStreamMediaType('application/json')).toBe(false);
  });
});
