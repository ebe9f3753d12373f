/**
 * Locates the raw byte span of one value inside a JSON text, so a recording can have a single value
 * substituted while every other byte (key order, spacing, escapes, unknown fields) stays as recorded.
 * Re-serialising with JSON.stringify would not do that: it reorders nothing but drops the provider's
 * own formatting (e.g. the pretty-printed `.json` bodies) and number spellings like `1.0`.
 */

export type JsonPath = ReadonlyArray<string | number>;

export interface JsonSpan {
  /** Index of the first character of the value. */
  start: number;
  /** Index just past the last character of the value. */
  end: number;
}

export function locateJsonValue(text: string, path: JsonPath): JsonSpan {
  let position = skipWhitespace(text, 0);
  for (const segment of path) {
    position = typeof segment === 'number' ? enterArrayElement(text, position, segment) : enterObjectKey(text, position, segment);
  }
  return { start: position, end: scanValue(text, position) };
}

/** Replaces the value at `path` with `JSON.stringify(value)`, leaving all other characters untouched. */
export function replaceJsonValue(text: string, path: JsonPath, value: unknown): string {
  const span = locateJsonValue(text, path);
  return text.slice(0, span.start) + JSON.stringify(value) + text.slice(span.end);
}

function enterObjectKey(text: string, position: number, key: string): number {
  if (text[position] !== '{') throw new Error(`json-span: expected an object at ${position} to find key "${key}"`);
  let cursor = skipWhitespace(text, position + 1);
  while (text[cursor] !== '}') {
    const keyEnd = scanString(text, cursor);
    const currentKey = JSON.parse(text.slice(cursor, keyEnd)) as string;
    cursor = skipWhitespace(text, keyEnd);
    if (text[cursor] !== ':') throw new Error(`json-span: expected ':' at ${cursor}`);
    cursor = skipWhitespace(text, cursor + 1);
    if (currentKey === key) return cursor;
    cursor = skipWhitespace(text, scanValue(text, cursor));
    if (text[cursor] === ',') cursor = skipWhitespace(text, cursor + 1);
  }
  throw new Error(`json-span: key "${key}" not found`);
}

function enterArrayElement(text: string, position: number, index: number): number {
  if (text[position] !== '[') throw new Error(`json-span: expected an array at ${position} to find index ${index}`);
  let cursor = skipWhitespace(text, position + 1);
  for (let current = 0; text[cursor] !== ']'; current += 1) {
    if (current === index) return cursor;
    cursor = skipWhitespace(text, scanValue(text, cursor));
    if (text[cursor] === ',') cursor = skipWhitespace(text, cursor + 1);
  }
  throw new Error(`json-span: index ${index} out of range`);
}

function scanValue(text: string, position: number): number {
  const first = text[position];
  if (first === '"') return scanString(text, position);
  if (first === '{' || first === '[') return scanContainer(text, position);
  const match = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(position, position + 64));
  if (!match) throw new Error(`json-span: unexpected character at ${position}`);
  return position + match[0].length;
}

function scanContainer(text: string, position: number): number {
  let depth = 0;
  for (let cursor = position; cursor < text.length; cursor += 1) {
    const character = text[cursor];
    if (character === '"') {
      cursor = scanString(text, cursor) - 1;
    } else if (character === '{' || character === '[') {
      depth += 1;
    } else if (character === '}' || character === ']') {
      depth -= 1;
      if (depth === 0) return cursor + 1;
    }
  }
  throw new Error('json-span: unterminated container');
}

function scanString(text: string, position: number): number {
  if (text[position] !== '"') throw new Error(`json-span: expected a string at ${position}`);
  for (let cursor = position + 1; cursor < text.length; cursor += 1) {
    const character = text[cursor];
    if (character === '\\') cursor += 1;
    else if (character === '"') return cursor + 1;
  }
  throw new Error('json-span: unterminated string');
}

function skipWhitespace(text: string, position: number): number {
  let cursor = position;
  while (cursor < text.length && /\s/.test(text[cursor] ?? '')) cursor += 1;
  return cursor;
}
