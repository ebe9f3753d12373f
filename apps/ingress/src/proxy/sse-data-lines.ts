import { LF, CR, SPACE, TAB, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET } from '@gw/wire';

const DATA_FIELD = Buffer.from('data:');
const DONE = Buffer.from('[DONE]');

/** What a block of complete SSE events says about its `data:` lines. */
export interface DataLineScan {
  /** Start of the first event whose data is not a JSON object (or `[DONE]`); -1 when every one is. */
  malformedEventAt: number;
  /** A `data: [DONE]` line was seen: the Chat Completions stream's terminal event. */
  done: boolean;
}

/**
 * Checks the framing of every `data:` line of a block without parsing it: the value must open and close a
 * JSON object (or be `[DONE]`). Pass-through streams forward events as the bytes they came as, so this is
 * what stands between a truncated or garbled upstream event and a client that would fail on it while the
 * request log called the answer a success. A few native searches and byte reads per event, no decoding.
 *
 * A `data:` at the start of a line is always a field: JSON strings cannot hold a raw line break. Events
 * whose JSON is split over several `data:` lines (legal SSE, sent by no provider we know) would be refused.
 */
export function scanDataLines(block: Buffer): DataLineScan {
  let done = false;
  let from = 0;
  for (;;) {
    const at = block.indexOf(DATA_FIELD, from);
    if (at === -1) return { malformedEventAt: -1, done };
    from = at + DATA_FIELD.length;
    if (at > 0 && block[at - 1] !== LF && block[at - 1] !== CR) continue;
    let start = from;
    if (block[start] === SPACE) start++;
    let end = block.indexOf(LF, start);
    if (end === -1) end = block.length;
    from = end;
    while (end > start && (block[end - 1] === CR || block[end - 1] === SPACE || block[end - 1] === TAB)) end--;
    if (end === start) continue; // an empty data line: nothing to misread
    const first = block[start];
    const last = block[end - 1];
    if (first === OPEN_BRACE && last === CLOSE_BRACE) continue;
    if (first === OPEN_BRACKET && last === CLOSE_BRACKET && block.subarray(start, end).equals(DONE)) {
      done = true;
      continue;
    }
    return { malformedEventAt: eventStartBefore(block, at), done };
  }
}

/** Start of the SSE event that contains byte `index` of a block of complete events. */
export function eventStartBefore(block: Buffer, index: number): number {
  const lf = block.lastIndexOf('\n\n', index);
  const crlf = block.lastIndexOf('\r\n\r\n', index);
  return Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
}
