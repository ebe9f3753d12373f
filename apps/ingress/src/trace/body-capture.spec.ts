import { KEY_SHAPES_ONLY, SecretRedactor } from '@gw/ir';
import { BodyCapture, REDACTED_BY_PATTERN } from './body-capture';

describe('BodyCapture', () => {
  it('keeps the request and the answer as written, in order, when they fit', () => {
    const capture = new BodyCapture(1024);
    capture.requestBody(Buffer.from('{"model":"gpt-5"}'));
    capture.answered('data: {"a":1}\n\n');
    capture.answered(Buffer.from('data: [DONE]\n\n'));
    expect(capture.seal(KEY_SHAPES_ONLY, [])).toEqual({
      request: '{"model":"gpt-5"}',
      response: 'data: {"a":1}\n\ndata: [DONE]\n\n',
      requestTruncated: false,
      responseTruncated: false,
    });
  });

  it('cuts each body at the cap, on a character boundary, and says so', () => {
    const capture = new BodyCapture(10);
    capture.requestBody(Buffer.from('ééééééééé')); // 18 bytes
    for (let i = 0; i < 5000; i++) capture.answered('0123456789');
    const sealed = capture.seal(KEY_SHAPES_ONLY, []);
    expect(sealed.request).toBe('ééééé');
    expect(sealed.response).toBe('0123456789');
    expect([sealed.requestTruncated, sealed.responseTruncated]).toEqual([true, true]);
  });

  it('masks channel credentials, key shapes and the configured patterns, also across the cap', () => {
    const channelKey = 'sk-proj-channelsecret0123456789abcdef';
    const capture = new BodyCapture(40);
    capture.requestBody(Buffer.from(`my card ACME-123456 and key ${channelKey}`));
    capture.answered(`${'x'.repeat(30)} ACME-654321 tail`);
    const sealed = capture.seal(new SecretRedactor([channelKey]), [/ACME-[0-9]{6}/g]);
    expect(sealed.request).toContain(REDACTED_BY_PATTERN);
    expect(sealed.request).not.toContain('ACME-123456');
    expect(sealed.request).not.toContain('channelsecret');
    // The match straddled the cap: masked before the cut, so no piece of it is left.
    expect(sealed.response).toBe(`${'x'.repeat(30)} [REDACTED`);
    expect(sealed.responseTruncated).toBe(true);
  });
});
