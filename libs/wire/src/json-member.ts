import type { ClientBody } from './passthrough';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, CR, LF, OPEN_BRACE, OPEN_BRACKET, QUOTE, SPACE, TAB } from './byte-codes';

function skipWhitespace(bytes: Buffer, from: number): number {
  let index = from;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte !== SPACE && byte !== LF && byte !== CR && byte !== TAB) break;
    index++;
  }
  return index;
}

/**
 * A JSON object document with some top-level members set (replaced where present, appended where not) and
 * some removed, edited as bytes: the rest of the document is copied as it came, never decoded, parsed or
 * re-encoded. `members` maps ASCII names to JSON text. Only for documents JSON.parse has accepted as an object.
 *
 * Returns undefined when the bytes cannot be edited safely, and the caller re-encodes the parsed value:
 * when any top-level key occurs more than once (JSON.parse keeps the last one, other parsers the first,
 * so which one the upstream would read is unknown; `parsedKeyCount` is how many keys JSON.parse found),
 * when a top-level key is written with escapes (it might spell one of the names), or when a key is one
 * of the names in another case (see `foldedKey`; the re-encoding drops it with `withoutFoldedVariants`).
 * `guarded` names are left as they are, but a case variant of one also means re-encoding: a key the
 * gateway reads without changing it (`stream`) must reach the upstream as the value the gateway read.
 *
 * `removed` names are taken out with their separating comma, every copy of them (a repeated removed key is
 * no ambiguity: no copy is left to read). They match exactly, as `delete` on the parsed value would: a case
 * variant of one stays. A name both set and removed is removed. Returns `json` itself when nothing changes.
 */
export function withTopLevelMembers(
  json: Buffer,
  members: Readonly<Record<string, string>>,
  parsedKeyCount: number,
  guarded: readonly string[] = [],
  removed: readonly string[] = [],
): Buffer | undefined {
  const names = removed.length === 0 ? Object.keys(members) : Object.keys(members).filter((name) => !removed.includes(name));
  const found = topLevelMembers(json, guarded.length === 0 ? names : names.concat(guarded), removed);
  // More members in the bytes than keys in the parsed object: some key repeats (say `stream`), and the
  // upstream's parser might read the other copy. Re-encoding collapses it to what we parsed. Copies of a
  // removed key are all removed, so they count once on each side.
  if (found === undefined) return undefined;
  const removedCopies = found.removals.length;
  if (found.memberCount - removedCopies !== parsedKeyCount - found.removedNames) return undefined;
  const edits: ValueRange[] = found.removals;
  let appended = '';
  for (const name of names) {
    const range = found.ranges.get(name);
    if (range) {
      range.text = members[name]!;
      edits.push(range);
    } else {
      appended += `,${JSON.stringify(name)}:${members[name]!}`;
    }
  }
  if (appended !== '') {
    const close = json.lastIndexOf(CLOSE_BRACE);
    // No member left to follow: drop the leading comma.
    const empty = found.memberCount === removedCopies;
    edits.push({ start: close, end: close, text: empty ? appended.slice(1) : appended });
  }
  if (edits.length === 0) return json;
  if (edits.length > 1) edits.sort((a, b) => a.start - b.start);
  // One buffer of the final size, the unchanged spans copied into it and the new values written in place.
  let size = json.length;
  for (const edit of edits) size += Buffer.byteLength(edit.text) - (edit.end - edit.start);
  const out = Buffer.allocUnsafe(size);
  let copied = 0;
  let written = 0;
  for (const edit of edits) {
    written += json.copy(out, written, copied, edit.start);
    written += out.write(edit.text, written);
    copied = edit.end;
  }
  json.copy(out, written, copied);
  return out;
}

interface ValueRange {
  start: number;
  end: number;
  /** The JSON text that replaces the value. */
  text: string;
}

interface FoundMembers {
  /** Value ranges of the wanted members. */
  ranges: Map<string, ValueRange>;
  memberCount: number;
  /** Byte ranges that remove the removed members' copies, each with one separating comma; disjoint. */
  removals: ValueRange[];
  /** How many distinct removed names were found. */
  removedNames: number;
}

/**
 * Value ranges of the wanted top-level members and removal ranges of the removed ones; undefined when a
 * wanted one repeats or a key has escapes.
 *
 * A removed member goes with the separator before it (from the end of the previous member's value), so the
 * comma that ended the member before is the one that disappears; while no kept member precedes it (the
 * first members), it goes with the separator after it instead (up to the next key), so the next member
 * becomes the first. Either way the ranges are disjoint and what remains is the kept members, each with the
 * separator that came before it.
 */
function topLevelMembers(json: Buffer, wanted: readonly string[], removed: readonly string[]): FoundMembers | undefined {
  const ranges = new Map<string, ValueRange>();
  const removals: ValueRange[] = [];
  const removedSeen = new Set<string>();
  let memberCount = 0;
  let longestWanted = 0;
  for (const name of wanted) longestWanted = Math.max(longestWanted, name.length);
  const isWantedLength = (length: number): boolean => wanted.some((name) => name.length === length);
  const isRemovedLength = (length: number): boolean => removed.some((name) => name.length === length);
  // A case variant may hold multi-byte characters (`ſ` is two bytes): keys up to 3 bytes per character are read.
  const longestKeyBytes = 3 * longestWanted;
  /** A member was kept before the current one: removals from here on take the separator before them. */
  let keptBefore = false;
  /** End of the previous member's value. */
  let previousEnd = -1;
  /** A leading removal still waiting for the next key to end at. */
  let pending: ValueRange | undefined;
  let index = skipWhitespace(json, 0);
  if (json[index] !== OPEN_BRACE) return undefined;
  index = skipWhitespace(json, index + 1);
  if (json[index] === CLOSE_BRACE) return { ranges, memberCount, removals, removedNames: 0 };
  for (;;) {
    if (json[index] !== QUOTE) return undefined;
    const keyStart = index;
    if (pending !== undefined) {
      pending.end = keyStart;
      pending = undefined;
    }
    const keyEnd = stringEnd(json, index);
    if (keyEnd === -1) return undefined;
    let ascii = true;
    for (let byte = index + 1; byte < keyEnd; byte++) {
      if (json[byte] === BACKSLASH) return undefined;
      if (json[byte]! >= 0x80) ascii = false;
    }
    // Only keys that can be a wanted or removed name or a case variant of a wanted one are decoded: ASCII
    // ones of such a length, and non-ASCII ones short enough (`ſ` is two bytes).
    const keyBytes = keyEnd - index - 1;
    const mayMatch = ascii ? isWantedLength(keyBytes) || isRemovedLength(keyBytes) : keyBytes <= longestKeyBytes;
    const key = mayMatch ? json.toString(ascii ? 'latin1' : 'utf8', index + 1, keyEnd) : undefined;
    index = skipWhitespace(json, keyEnd + 1);
    if (json[index] !== COLON) return undefined;
    const start = skipWhitespace(json, index + 1);
    const end = valueEnd(json, start);
    if (end === -1) return undefined;
    memberCount++;
    if (key !== undefined && removed.includes(key)) {
      removedSeen.add(key);
      if (keptBefore) {
        removals.push({ start: previousEnd, end, text: '' });
      } else {
        // Ends at the next key, or at this value when none follows.
        pending = { start: keyStart, end, text: '' };
        removals.push(pending);
      }
    } else {
      keptBefore = true;
      if (key !== undefined && isWantedLength(key.length)) {
        if (wanted.includes(key)) {
          if (ranges.has(key)) return undefined;
          ranges.set(key, { start, end, text: '' });
        } else if (wanted.includes(foldedKey(key))) {
          return undefined;
        }
      }
    }
    previousEnd = end;
    index = skipWhitespace(json, end);
    if (json[index] === CLOSE_BRACE) return { ranges, memberCount, removals, removedNames: removedSeen.size };
    if (json[index] !== COMMA) return undefined;
    index = skipWhitespace(json, index + 1);
  }
}

/**
 * A key as a case-insensitive JSON decoder matches it to a field. Go's encoding/json (behind many
 * OpenAI-compatible servers) reads `MODEL` or `Model` as `model` when no exact match follows it, and
 * Unicode simple case folding adds `ſ` (U+017F) to `s` and `K` (U+212A, lowercased here) to `k`. Left in
 * a forwarded body, such a key could carry the unmapped model past the profile.
 */
export function foldedKey(key: string): string {
  return key.toLowerCase().replace(/\u017f/g, 's');
}

/** The parsed body without top-level keys that a case-insensitive decoder would read as one of `names`. */
export function withoutFoldedVariants(value: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const copy = { ...value };
  for (const key of Object.keys(copy)) if (!names.includes(key) && names.includes(foldedKey(key))) delete copy[key];
  return copy;
}

/**
 * The parsed body re-encoded, for bytes `withTopLevelMembers` cannot edit safely: without case variants of
 * the names set or read (`folded`), with the `set` members, without the `removed` ones.
 */
export function reencodedWith(
  value: Record<string, unknown>,
  set: Readonly<Record<string, unknown>>,
  folded: readonly string[],
  removed: readonly string[] = [],
): string {
  const body = { ...withoutFoldedVariants(value, folded), ...set };
  for (const name of removed) delete body[name];
  return JSON.stringify(body);
}

/**
 * A pass-through body for the upstream: the client's bytes with the `set` members (parsed values, written as
 * JSON) and without the `removed` ones, edited once as bytes (`withTopLevelMembers`), or re-encoded from the
 * parsed body when the bytes cannot be edited safely (`reencodedWith`). `guarded` names are read by the
 * gateway and must reach the upstream as it read them.
 */
export function editedBody(
  body: ClientBody,
  set: Readonly<Record<string, unknown>>,
  guarded: readonly string[],
  removed: readonly string[],
): Buffer | string {
  const members: Record<string, string> = {};
  for (const name in set) members[name] = JSON.stringify(set[name]);
  return (
    withTopLevelMembers(body.bytes, members, Object.keys(body.value).length, guarded, removed) ??
    reencodedWith(body.value, set, [...Object.keys(set), ...guarded], removed)
  );
}

/** Index of the quote closing the string that opens at `open`; -1 when it never closes. */
function stringEnd(json: Buffer, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = json.indexOf(QUOTE, from);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (json[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

/** Index just past the JSON value starting at `start` (strings and nested values skipped whole); -1 if cut. */
function valueEnd(json: Buffer, start: number): number {
  const first = json[start];
  if (first === QUOTE) {
    const end = stringEnd(json, start);
    return end === -1 ? -1 : end + 1;
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let index = start; index < json.length; index++) {
      const byte = json[index];
      if (byte === QUOTE) {
        index = stringEnd(json, index);
        if (index === -1) return -1;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) return index + 1;
      }
    }
    return -1;
  }
  // A number, true, false or null: runs to the next delimiter.
  let index = start;
  while (index < json.length) {
    const byte = json[index];
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || byte === SPACE || byte === LF || byte === CR || byte === TAB)
      break;
    index++;
  }
  return index;
}
