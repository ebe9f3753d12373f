import type { RequestFinishedEvent } from '@gw/contracts';
import { finishedEvent } from '../../../../test/support/request-finished-event';
import { RequestLogRows, serializeRow, storableJson } from './request-log-rows';

describe('storableJson', () => {
  const roundTrip = (value: string): string => JSON.parse(storableJson(JSON.stringify(value))) as string;

  it('drops U+0000 and keeps everything around it', () => {
    expect(roundTrip('upstream\u0000 said\u0000\u0000 no')).toBe('upstream said no');
  });

  it('keeps a literal backslash followed by "u0000", which is text and not the character', () => {
    expect(roundTrip('C:\\u0000dir')).toBe('C:\\u0000dir');
    expect(roundTrip('\\\u0000x')).toBe('\\x');
    expect(roundTrip('\\\\\u0000x')).toBe('\\\\x');
  });

  it('returns text without the escape unchanged', () => {
    const json = JSON.stringify({ errorMessage: 'plain', warnings: ['a\\b'] });
    expect(storableJson(json)).toBe(json);
  });
});

describe('serializeRow', () => {
  const event: RequestFinishedEvent = finishedEvent({
    requestId: 'req-1',
    conversationKey: 'conv',
    conversationSource: 'session-id',
    threadKey: 'thread',
    status: 404,
    errorCode: 'model_not_found',
    errorMessage: 'no channel serves the model',
    startedAt: '2026-01-02T03:04:05.678Z',
    latencyMs: 1.5,
  });
  const stored = (value: RequestFinishedEvent): RequestFinishedEvent => JSON.parse(serializeRow(value)) as RequestFinishedEvent;

  it('replaces a lone surrogate with U+FFFD in every string field', () => {
    const poisoned: RequestFinishedEvent = {
      ...event,
      requestId: 'req-\ud800',
      conversationKey: '\udc00conv',
      conversationSource: 'x\ud800',
      threadKey: '\ud800\ud800',
      clientProtocol: 'chat\udfff',
      endpoint: '/v1/\ud83d',
      requestedModel: '\ud800',
      mappedModel: 'm\udbff',
      channelName: '\ude00c',
      errorCode: 'e\ud800',
      errorMessage: 'model \ud800 not found',
      warnings: ['w\udc00', 'fine'],
    };
    expect(stored(poisoned)).toEqual({
      ...event,
      requestId: 'req-\ufffd',
      conversationKey: '\ufffdconv',
      conversationSource: 'x\ufffd',
      threadKey: '\ufffd\ufffd',
      clientProtocol: 'chat\ufffd',
      endpoint: '/v1/\ufffd',
      requestedModel: '\ufffd',
      mappedModel: 'm\ufffd',
      channelName: '\ufffdc',
      errorCode: 'e\ufffd',
      errorMessage: 'model \ufffd not found',
      warnings: ['w\ufffd', 'fine'],
    });
  });

  it('keeps well-formed surrogate pairs, and mends a reversed pair as two lone surrogates', () => {
    expect(stored({ ...event, requestedModel: 'emoji 😀 \ud83d\ude00' }).requestedModel).toBe('emoji 😀 😀');
    expect(stored({ ...event, requestedModel: '\ude00\ud83d' }).requestedModel).toBe('\ufffd\ufffd');
  });

  it('drops U+0000 and mends a lone surrogate in the same text', () => {
    expect(stored({ ...event, errorMessage: 'a\u0000b\ud800c' }).errorMessage).toBe('ab\ufffdc');
  });

  it('keeps text that only looks like an escape: a literal backslash followed by "ud800"', () => {
    expect(stored({ ...event, errorMessage: 'C:\\ud800\\u0000' }).errorMessage).toBe('C:\\ud800\\u0000');
    expect(stored({ ...event, errorMessage: '\\\ud800' }).errorMessage).toBe('\\\ufffd');
  });

  it('returns a clean row exactly as JSON.stringify wrote it, other escapes included', () => {
    const clean = { ...event, errorMessage: 'tab\tbell\u0007 "quoted" é' };
    expect(serializeRow(clean)).toBe(JSON.stringify(clean));
  });

  it('produces text valid for PostgreSQL: no NUL, no lone surrogate, whatever the input', () => {
    for (let code = 0xd800; code <= 0xdfff; code += 0x55) {
      const text = serializeRow({ ...event, errorMessage: `${String.fromCharCode(code)}\u0000` });
      expect(text).not.toMatch(/\\u(0000|d[89a-f])/);
      expect((JSON.parse(text) as RequestFinishedEvent).errorMessage).toBe('\ufffd');
    }
  });
});

describe('RequestLogRows', () => {
  const row = (i: number): string => JSON.stringify({ requestId: `req-${i}`, errorMessage: `é 😀 \u2028 "${'x'.repeat(i % 50)}"` });

  it('builds one JSON array of the rows, growing past its first buffer, multi-byte text included', () => {
    const rows = new RequestLogRows(Buffer.alloc(16));
    const texts = Array.from({ length: 300 }, (_, i) => row(i));
    rows.append(texts.slice(0, 1));
    rows.append(texts.slice(1));
    expect(rows.count).toBe(300);
    expect(JSON.parse(rows.toJsonArray().toString('utf8'))).toEqual(texts.map((text) => JSON.parse(text) as unknown));
  });

  it('is an empty array with no rows, and starts over cleanly on a released buffer', () => {
    expect(new RequestLogRows().toJsonArray().toString()).toBe('[]');
    const first = new RequestLogRows();
    first.append([row(1), row(2), row(3)]);
    const second = new RequestLogRows(first.release());
    second.append([row(9)]);
    expect(JSON.parse(second.toJsonArray().toString('utf8'))).toEqual([JSON.parse(row(9))]);
  });
});
