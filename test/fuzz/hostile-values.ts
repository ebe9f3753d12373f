import type { Prng } from './prng';

/**
 * Values a hostile or broken client puts where a well-formed request has strings, numbers or objects.
 * Strings are JS strings: JSON.stringify writes a lone surrogate as the escape `\ud800` and NUL as
 * `\u0000`, which is how they reach the gateway (as raw bytes they would be invalid UTF-8, sent separately).
 */

/** Text that is legal JSON but trips careless code: NUL, lone surrogates, BOM, RTL marks, emoji, escapes. */
export const NASTY_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\ud83d\ude00',
  '\ufeffbom',
  '\u202eRTL',
  '\uffff',
  '"quoted"',
  '\\',
  '</script>',
  '%s%n%x',
  '${jndi:x}',
  '\r\n\r\nHTTP/1.1 200 OK',
  '',
  ' ',
  'null',
  '__proto__',
  'constructor',
] as const;

/** True when the string holds NUL or a lone surrogate: what PostgreSQL `text`/`jsonb` cannot store as is. */
export function isUnstorableText(text: string): boolean {
  return text.includes('\u0000') || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

export function nastyString(rng: Prng): string {
  const parts: string[] = [];
  const count = rng.between(1, 3);
  for (let index = 0; index < count; index++) parts.push(rng.chance(0.7) ? rng.pick(NASTY_TEXT) : randomText(rng, rng.between(0, 12)));
  return parts.join('');
}

/** Random code units, surrogates included, so some come out unpaired. */
export function randomText(rng: Prng, length: number): string {
  let text = '';
  for (let index = 0; index < length; index++) {
    text += String.fromCharCode(
      rng.weighted([
        [6, rng.between(0x20, 0x7e)],
        [1, rng.between(0, 0x1f)],
        [1, rng.between(0x80, 0xd7ff)],
        [1, rng.between(0xd800, 0xdfff)],
      ]),
    );
  }
  return text;
}

/** A value of any JSON type, or a shape no schema expects; `depth` bounds the recursion of this generator. */
export function wrongValue(rng: Prng, depth = 0): unknown {
  const kind = rng.int(depth > 2 ? 9 : 12);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 53]);
    case 3:
      return nastyString(rng);
    case 4:
      return '';
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return 'x'.repeat(rng.pick([1_000, 10_000, 100_000]));
    case 8:
      return rng.pick(['user', 'assistant', 'system', 'developer', 'tool', 'function', 'input_text', 'message', 'function_call']);
    case 9:
      return Array.from({ length: rng.between(1, 4) }, () => wrongValue(rng, depth + 1));
    case 10:
      return Object.fromEntries(Array.from({ length: rng.between(1, 4) }, () => [rng.pick(FIELD_NAMES), wrongValue(rng, depth + 1)]));
    default:
      return Array.from({ length: rng.pick([1_000, 10_000]) }, () => rng.int(10));
  }
}

/** Names the protocols use, so wrong values land where the decoders look. */
export const FIELD_NAMES = [
  'model',
  'messages',
  'input',
  'role',
  'content',
  'type',
  'text',
  'stream',
  'stream_options',
  'include_usage',
  'tools',
  'tool_choice',
  'function',
  'name',
  'arguments',
  'parameters',
  'call_id',
  'tool_call_id',
  'tool_calls',
  'instructions',
  'reasoning',
  'effort',
  'max_tokens',
  'max_output_tokens',
  'temperature',
  'response_format',
  'text',
  'metadata',
  'prompt_cache_key',
  'previous_response_id',
  'store',
  'namespace',
  'image_url',
  'output',
  'summary',
  'encrypted_content',
  '__proto__',
  'constructor',
  'prototype',
] as const;

/** `[[[[...]]]]`, `depth` levels, as JSON text (built as text: a value this deep could not be stringified). */
export function deepArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

export function deepObjectText(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}
