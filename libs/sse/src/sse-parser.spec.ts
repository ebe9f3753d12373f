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
});
