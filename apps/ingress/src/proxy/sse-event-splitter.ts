/**
 * Cuts a byte stream of SSE at event boundaries without decoding it: complete events come out as Buffers
 * (to forward as they are), the unfinished tail waits for the next chunk. A client cannot use half an event
 * (SSE dispatches on the blank line), so holding the tail back delays nothing it could see.
 */
export class SseEventSplitter {
  private carry: Buffer | undefined;

  /** Complete events in this chunk (possibly empty), in order. */
  push(chunk: Buffer): Buffer {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = lastEventBoundary(data);
    if (end === -1) {
      this.carry = data;
      return EMPTY;
    }
    this.carry = end < data.length ? data.subarray(end) : undefined;
    return data.subarray(0, end);
  }

  /** Whatever is left at the end of the stream (an event without its blank line). */
  end(): Buffer {
    const rest = this.carry ?? EMPTY;
    this.carry = undefined;
    return rest;
  }
}

const EMPTY = Buffer.alloc(0);

/** Index just past the last blank line (`\n\n`, `\r\n\r\n` or `\r\r`), or -1. */
function lastEventBoundary(data: Buffer): number {
  const lf = data.lastIndexOf('\n\n');
  const crlf = data.lastIndexOf('\r\n\r\n');
  const cr = data.lastIndexOf('\r\r');
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4, cr === -1 ? -1 : cr + 2);
}
