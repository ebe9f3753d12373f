import { isAscii } from 'node:buffer';

/**
 * A translated upstream body as the bytes sent: the same JSON value as `Buffer.from(JSON.stringify(value))`,
 * in about half the CPU for Codex's ~40 KB request (ADR 0023). Two costs are removed:
 *
 * - UTF-8 encoding of the JSON text. This Node encodes a string to UTF-8 at ~2 ns a character (one-byte
 *   strings included), while Latin-1 bytes are a copy. Codex's instructions hold a few characters above
 *   U+00FF (’ – → ...), which makes the whole JSON text a two-byte string. Here every large string is
 *   written with its non-ASCII characters as `\uXXXX` escapes (the same JSON value), so the text is usually
 *   pure ASCII, whose UTF-8 bytes are its Latin-1 bytes. Whether it is, is checked on the bytes, never assumed.
 * - JSON.stringify of the large strings themselves: Codex sends the same instructions and tool descriptions
 *   (5–17 KB) with every turn. Their escaped JSON text is kept in a small cache keyed by the string's content.
 *
 * The cache is safe to share between keys and projects: an entry's value is a pure function of its key (the
 * JSON spelling of that very string), so a hit returns exactly what a miss would compute and can only be had
 * by a request that already holds the whole string; nothing of one request reaches another's answer. It is
 * bounded in entries and in characters.
 */
export function jsonBytes(value: unknown): Buffer {
  const text = JSON.stringify(rawJson === undefined ? value : withLargeStringsEscaped(value)) as string | undefined;
  if (text === undefined) throw new TypeError('jsonBytes: the value has no JSON text');
  const latin1 = Buffer.from(text, 'latin1');
  // Latin-1 bytes are the UTF-8 bytes only for ASCII text. Characters above U+00FF lose their high byte in
  // Latin-1 (and may then look like ASCII), so the bytes must also read back as the same text.
  if (isAscii(latin1) && latin1.toString('latin1') === text) return latin1;
  return Buffer.from(text, 'utf8');
}

/** Strings at least this long are written as cached, ASCII-escaped JSON; shorter ones cost less than a lookup. */
export const LARGE_JSON_STRING = 1024;
/** Longer strings are escaped but not cached (one would push out everything else). */
const MAX_CACHED_STRING = 256 * 1024;
const MAX_ENTRIES = 64;
/** Characters of the keys held, at most: ~2 MB as one-byte strings, ~4 MB as two-byte ones, plus their JSON. */
const MAX_CACHED_CHARS = 2 * 1024 * 1024;

/**
 * What `JSON.rawJSON` returns (ES2026; V8 12.x, so Node 22 and later): a value JSON.stringify writes as its
 * text, verbatim. Without it (Node 20) large strings are left to JSON.stringify.
 */
type RawJson = object;
const rawJson = (JSON as unknown as { rawJSON?: (text: string) => RawJson }).rawJSON?.bind(JSON);

/**
 * Entries with the tick of their last use. A hit only updates the tick: moving the entry to the end of the Map
 * would hash and compare the (17 KB) key twice more. The least recently used is found by a scan when one must go.
 */
const escapedStrings = new Map<string, { raw: RawJson; used: number }>();
let cachedChars = 0;
let tick = 0;

/**
 * `value` with every large string replaced by its raw JSON; objects and arrays are copied only along the paths
 * to such strings (the caller's value is never changed). Member order and everything JSON.stringify would do
 * with the rest (undefined members, toJSON) is left to JSON.stringify.
 */
function withLargeStringsEscaped(value: unknown): unknown {
  if (typeof value === 'string') return value.length >= LARGE_JSON_STRING ? escapedJson(value) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const replaced = withLargeStringsEscaped(item);
      if (replaced !== item) (copy ??= value.slice())[index] = replaced;
    }
    return copy ?? value;
  }
  // Its own JSON form is JSON.stringify's business (a Date, a Buffer).
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const member = object[key];
    const replaced = withLargeStringsEscaped(member);
    if (replaced !== member) (copy ??= { ...object })[key] = replaced;
  }
  return copy ?? value;
}

function escapedJson(text: string): RawJson {
  const cached = escapedStrings.get(text);
  if (cached !== undefined) {
    cached.used = ++tick;
    return cached.raw;
  }
  const raw = (rawJson as (text: string) => RawJson)(asciiJsonString(text));
  if (text.length <= MAX_CACHED_STRING) {
    escapedStrings.set(text, { raw, used: ++tick });
    cachedChars += text.length;
    while (escapedStrings.size > MAX_ENTRIES || cachedChars > MAX_CACHED_CHARS) evictLeastRecentlyUsed();
  }
  return raw;
}

function evictLeastRecentlyUsed(): void {
  let oldest: string | undefined;
  let oldestUse = Infinity;
  for (const [key, entry] of escapedStrings) {
    if (entry.used < oldestUse) {
      oldest = key;
      oldestUse = entry.used;
    }
  }
  if (oldest === undefined) return;
  escapedStrings.delete(oldest);
  cachedChars -= oldest.length;
}

const NON_ASCII = /[\u0080-\uffff]/g;

/** JSON.stringify(text) with every character above U+007F as a `\uXXXX` escape (surrogate pairs as two). */
export function asciiJsonString(text: string): string {
  // JSON.stringify already escapes lone surrogates, so what is left above U+007F is whole characters.
  return JSON.stringify(text).replace(NON_ASCII, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** For tests: the cache's size. */
export function jsonBytesCacheSize(): { entries: number; chars: number } {
  return { entries: escapedStrings.size, chars: cachedChars };
}

/** For tests: whether `text`'s escaped JSON is in the cache. */
export function isJsonStringCached(text: string): boolean {
  return escapedStrings.has(text);
}
