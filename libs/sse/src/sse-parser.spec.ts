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
});
