import { QUOTE, BACKSLASH, OPEN_BRACKET, OPEN_BRACE, CLOSE_BRACKET, CLOSE_BRACE } from '@gw/wire';

/**
 * How deep a request body may nest arrays and objects. JSON.parse itself copes with any depth, but what
 * runs after it does not: JSON.stringify and the protocol codecs recurse, and a 100,000-deep `parameters`
 * schema ended in `RangeError: Maximum call stack size exceeded` (a 500) on a translated request. 512 is
 * what many servers allow (and far above anything a client sends: Codex's deepest body is under 20).
 */
export const MAX_JSON_NESTING = 512;

/**
 * True when no array or object in the JSON text `bytes` is nested more than `maxDepth` levels deep.
 * Brackets inside strings do not count. A loop, not a recursion, so it cannot overflow the stack itself;
 * strings are skipped with `indexOf` (memchr), so a 48 KB Codex body costs ~35 µs, a third of its
 * JSON.parse. Malformed text is not judged here: JSON.parse reports it (an unterminated string or an
 * unbalanced bracket is a syntax error before any depth matters).
 * The bytes may be invalid UTF-8: every byte of a multi-byte sequence is ≥ 0x80, so none looks like a
 * quote, a backslash or a bracket.
 */
export function isNestedWithin(bytes: Buffer, maxDepth: number): boolean {
  let depth = 0;
  const length = bytes.length;
  for (let index = 0; index < length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) {
      index = closingQuote(bytes, index);
      if (index === -1) return true;
    } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
      if (++depth > maxDepth) return false;
    } else if (byte === CLOSE_BRACKET || byte === CLOSE_BRACE) {
      depth--;
    }
  }
  return true;
}

/** The index of the quote that ends the string opened at `open`, or -1 when the string never ends. */
function closingQuote(bytes: Buffer, open: number): number {
  let quote = bytes.indexOf(QUOTE, open + 1);
  while (quote !== -1) {
    // A quote preceded by an odd number of backslashes is escaped: `"a\"b"`, but not `"a\\"`.
    let backslashes = 0;
    for (let before = quote - 1; bytes[before] === BACKSLASH; before--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = bytes.indexOf(QUOTE, quote + 1);
  }
  return -1;
}
