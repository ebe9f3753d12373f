import { SseEventSplitter } from './sse-event-splitter';

describe('SseEventSplitter', () => {
  it('returns only complete events, whatever the chunk boundaries, and keeps every byte', () => {
    const text = 'data: {"a":1}\n\ndata: {"b":"é"}\n\nevent: x\r\ndata: 2\r\n\r\ndata: [DONE]\n\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const splitter = new SseEventSplitter();
      const first = splitter.push(bytes.subarray(0, cut));
      const second = splitter.push(bytes.subarray(cut));
      const rest = splitter.end();
      expect(Buffer.concat([first, second, rest]).toString()).toBe(text);
      expect(rest.length).toBe(0);
      const firstText = first.toString();
      expect(firstText === '' || /(\n\n|\r\n\r\n)$/.test(firstText)).toBe(true);
    }
  });

  it('hands back an unterminated final event at the end', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push(Buffer.from('data: 1\n\ndata: 2')).toString()).toBe('data: 1\n\n');
    expect(splitter.end().toString()).toBe('data: 2');
  });
});
