import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses events split at every possible byte boundary', () => {
    const text = 'event: response.created\ndata: {"a":"é"}\n\ndata: line1\ndata: line2\n\n: comment\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(bytes.slice(0, cut)), ...parser.push(bytes.slice(cut)), ...parser.end()];
      expect(events).toEqual([{ event: 'response.created', data: '{"a":"é"}' }, { data: 'line1\nline2' }, { data: '[DONE]' }]);
    }
  });

  it('accepts CRLF and CR line endings and a final event without a blank line', () => {
    const parser = new SseParser();
    const events = [...parser.push('data: a\r\n\r\ndata: b\r\rdata: c'), ...parser.end()];
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('gives the same events for mixed CR, LF and CRLF endings however the text is cut, one character at a time included', () => {
    const text = 'event: x\r\ndata: 1\r\n\r\ndata: 2\rdata: 3\r\rdata: 4\n\n:c\r\ndata: 5\r\n\r\n';
    const expected = [{ event: 'x', data: '1' }, { data: '2\n3' }, { data: '4' }, { data: '5' }];
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      expect([...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()]).toEqual(expected);
    }
    const parser = new SseParser();
    const events = [...text].flatMap((character) => parser.push(character));
    expect([...events, ...parser.end()]).toEqual(expected);
  });

  it('skips a leading byte order mark, however the stream is cut', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: a\n\ndata: b\n\n')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(bytes.subarray(0, cut)), ...parser.push(bytes.subarray(cut)), ...parser.end()];
      expect(events).toEqual([{ data: 'a' }, { data: 'b' }]);
    }
  });

  it('decodes non-ASCII values and replaces malformed UTF-8, as a UTF-8 decoder does', () => {
    const parser = new SseParser();
    const bytes = Buffer.concat([Buffer.from('data: caf\u00e9 \u2014 \ud83d\ude00 '), Buffer.from([0xff, 0xc3]), Buffer.from('\n\n')]);
    expect([...parser.push(bytes), ...parser.end()]).toEqual([{ data: 'caf\u00e9 \u2014 \ud83d\ude00 \ufffd\ufffd' }]);
  });

  it('ends a line at a held \\r as soon as the next chunk shows no \\n follows, even a chunk without line breaks', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r\r')).toEqual([]);
    expect(parser.push('x')).toEqual([{ data: 'a' }]);
  });

  it('assembles an event that arrives over many chunks without a line break', () => {
    const value = `{"text":"${'\u00e9x'.repeat(20_000)}"}`;
    const bytes = Buffer.from(`event: big\ndata: ${value}\n\n`);
    const parser = new SseParser();
    const events = [];
    for (let offset = 0; offset < bytes.length; offset += 7) events.push(...parser.push(bytes.subarray(offset, offset + 7)));
    expect([...events, ...parser.end()]).toEqual([{ event: 'big', data: value }]);
  });
});
