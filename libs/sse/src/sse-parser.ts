/** One Server-Sent Event as the spec frames it: optional `event:` name, `data:` lines joined by "\n". */
export interface SseEvent {
  event?: string;
  data: string;
}

/**
 * Incremental SSE parser (WHATWG framing): feed it bytes or text as they arrive, get complete events back.
 * Handles \n, \r\n and \r line endings, multi-line data, comments, and chunk boundaries anywhere
 * (including inside a multi-byte UTF-8 character).
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private eventName: string | undefined;
  private dataLines: string[] = [];

  push(chunk: Uint8Array | string): SseEvent[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.drain(false);
  }

  /** Call at end of stream: a final event without its blank line is still delivered. */
  end(): SseEvent[] {
    this.buffer += this.decoder.decode();
    const events = this.drain(true);
    if (this.dataLines.length > 0) events.push(this.takeEvent());
    return events;
  }

  private drain(atEnd: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    const buffer = this.buffer;
    let lineStart = 0;
    // Line breaks are found with indexOf (native, much faster than a JS loop over characters). The next
    // \r is searched once and kept until passed, so streams without \r are not rescanned for one per line.
    let cr = buffer.indexOf('\r');
    while (lineStart < buffer.length) {
      if (cr !== -1 && cr < lineStart) cr = buffer.indexOf('\r', lineStart);
      const lf = buffer.indexOf('\n', lineStart);
      let lineEnd: number;
      let nextStart: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A \r at the very end may be the first half of \r\n: wait for more bytes.
        if (cr === buffer.length - 1 && !atEnd) break;
        lineEnd = cr;
        nextStart = lf === cr + 1 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        lineEnd = lf;
        nextStart = lf + 1;
      } else {
        break;
      }
      this.processLine(buffer.slice(lineStart, lineEnd), events);
      lineStart = nextStart;
    }
    this.buffer = lineStart === 0 ? buffer : buffer.slice(lineStart);
    if (atEnd && this.buffer.length > 0) {
      this.processLine(this.buffer, events);
      this.buffer = '';
    }
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) events.push(this.takeEvent());
      else this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }

  private takeEvent(): SseEvent {
    const event: SseEvent = { data: this.dataLines.join('\n') };
    if (this.eventName !== undefined) event.event = this.eventName;
    this.dataLines = [];
    this.eventName = undefined;
    return event;
  }
}
