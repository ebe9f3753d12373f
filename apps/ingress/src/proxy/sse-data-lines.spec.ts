import { scanDataLines } from './sse-data-lines';

const block = (text: string): Buffer => Buffer.from(text);

describe('scanDataLines', () => {
  it('accepts events whose data are JSON objects, with or without a space, CRLF or LF', () => {
    expect(scanDataLines(block('data: {"a":1}\n\ndata:{"b":2}\r\n\r\nevent: x\ndata: {"c":"data: {"}\n\n'))).toEqual({
      malformedEventAt: -1,
      done: false,
    });
  });

  it('reports [DONE] and ignores empty data lines and comments', () => {
    expect(scanDataLines(block(': ping\n\ndata:\n\ndata: [DONE]\n\n'))).toEqual({ malformedEventAt: -1, done: true });
  });

  it('points at the start of the first event whose data is not a JSON object', () => {
    const good = 'data: {"a":1}\n\n';
    const bad = 'event: response.output_text.delta\ndata: {"id":"x","choices":[{\n\n';
    const result = scanDataLines(block(good + bad + good));
    expect(result.malformedEventAt).toBe(good.length);
  });

  it('refuses an event cut off at the end of the stream and plain text data', () => {
    expect(scanDataLines(block('data: {"a":1}\n\ndata: {"b":')).malformedEventAt).toBe(15);
    expect(scanDataLines(block('data: <html>\n\n')).malformedEventAt).toBe(0);
    expect(scanDataLines(block('data: [DONE-ish]\n\n')).malformedEventAt).toBe(0);
  });
});
