const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The value of the last `"name":` object member in a JSON document's bytes, when it is an object, parsed
 * on its own — the whole document is never decoded or parsed. Pass-through answers are forwarded as the
 * bytes that came; only usage is read from them, and it is one small object near the end.
 *
 * Inside JSON strings every quote is escaped, so an unescaped `"name":` is always a key. Returns undefined
 * when there is no such member, its value is not an object (`null`), or the bytes around it are not JSON.
 */
export function lastObjectMember(json: Buffer, name: string): Record<string, unknown> | undefined {
  const key = quotedKey(name);
  let searchFrom = json.length;
  while (searchFrom > 0) {
    const at = json.lastIndexOf(key, searchFrom - 1);
    if (at === -1) return undefined;
    searchFrom = at;
    let index = skipWhitespace(json, at + key.length);
    if (json[index] !== 0x3a /* : */) continue; // a string value equal to the name, not a key
    index = skipWhitespace(json, index + 1);
    if (json[index] !== OPEN_BRACE) return undefined;
    const end = matchingBrace(json, index);
    if (end === -1) return undefined;
    try {
      return JSON.parse(json.toString('utf8', index, end + 1)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `"name"` as bytes, made once per name: Buffer#lastIndexOf with a string would encode it on every call. */
const quotedKeys = new Map<string, Buffer>();
function quotedKey(name: string): Buffer {
  let key = quotedKeys.get(name);
  if (key === undefined) {
    key = Buffer.from(`"${name}"`);
    quotedKeys.set(name, key);
  }
  return key;
}

/** True when the first non-whitespace byte opens an object: what a JSON answer body must start with. */
export function startsLikeJsonObject(json: Buffer): boolean {
  return json[skipWhitespace(json, 0)] === OPEN_BRACE;
}

function skipWhitespace(bytes: Buffer, from: number): number {
  let index = from;
  while (index < bytes.length) {
    const byte = bytes[index];
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
    index++;
  }
  return index;
}

/** Index of the `}` closing the object that opens at `open`, skipping strings; -1 when it never closes. */
function matchingBrace(bytes: Buffer, open: number): number {
  let depth = 0;
  let inString = false;
  for (let index = open; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === BACKSLASH) index++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE) {
      depth++;
    } else if (byte === CLOSE_BRACE) {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}
