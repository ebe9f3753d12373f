import { BEARER_AUTH } from './preset';
import { findPreset, PRESET_IDS } from './registry';

/**
 * Rules for a channel's `preset`, `headers` and `model_map`, shared by the admin API and `config.yml` (the
 * persistence parser turns a problem into its 400 naming the field). Each check returns what is wrong, or
 * undefined. Messages never quote a header value: it may be a credential.
 */

/** Headers the gateway sets itself or that would break the HTTP exchange: a channel may not set them. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'accept',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);
/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
export const MAX_CHANNEL_HEADERS = 32;
const MAX_HEADER_VALUE_CHARS = 4096;

export function presetProblem(preset: unknown, type: string): string | undefined {
  if (typeof preset !== 'string' || findPreset(preset) === undefined) {
    return `preset ${JSON.stringify(preset)} is not one of ${PRESET_IDS.join(', ')}`;
  }
  if (type !== 'openai') return `preset applies to channels of type openai (Chat Completions) only, not ${type}`;
  return undefined;
}

/** The header the channel's credential travels in: a channel may not set it a second time. */
export function authHeaderOf(preset: string | null | undefined): string {
  return (preset ? findPreset(preset)?.auth : undefined)?.header ?? BEARER_AUTH.header;
}

/**
 * `authHeader`: the header the channel's credential travels in (`authHeaderOf(preset)`), which the channel may
 * not set a second time; undefined checks the shape only (a PATCH that does not say which preset applies).
 */
export function headersProblem(headers: unknown, authHeader: string | undefined): string | undefined {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    return 'headers must be an object of header names to string values';
  }
  const entries = Object.entries(headers);
  if (entries.length > MAX_CHANNEL_HEADERS) return `headers may hold at most ${MAX_CHANNEL_HEADERS} headers`;
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) return `headers: ${JSON.stringify(name)} is not a valid header name`;
    if (seen.has(lower)) return `headers: ${JSON.stringify(name)} is listed twice (header names ignore case)`;
    seen.add(lower);
    if (RESERVED_HEADERS.has(lower)) return `headers: ${name} is set by the gateway itself`;
    if (lower === authHeader) return `headers: ${name} carries the channel's credential; put it in api_key`;
    if (typeof value !== 'string' || value === '') return `headers: the value of ${name} must be a non-empty string`;
    if (value.length > MAX_HEADER_VALUE_CHARS) return `headers: the value of ${name} is longer than ${MAX_HEADER_VALUE_CHARS} characters`;
    // It becomes a header value: a line break or control character would break (or smuggle) headers.
    if (hasControlCharacter(value)) return `headers: the value of ${name} must not contain control characters or line breaks`;
  }
  return undefined;
}

export function modelMapProblem(modelMap: unknown): string | undefined {
  if (typeof modelMap !== 'object' || modelMap === null || Array.isArray(modelMap)) {
    return "model_map must be an object of model names to the names this channel's upstream wants";
  }
  for (const [from, to] of Object.entries(modelMap)) {
    if (from.trim() === '') return 'model_map: a model name must not be empty';
    if (typeof to !== 'string' || to.trim() === '' || hasControlCharacter(to)) {
      return `model_map: ${JSON.stringify(from)} must map to a non-empty name without control characters`;
    }
  }
  return undefined;
}

/** A mapping for a model the channel does not serve would never be used: most likely a typo. */
export function unservedMappedModel(modelMap: Readonly<Record<string, string>>, models: readonly string[]): string | undefined {
  return Object.keys(modelMap).find((model) => !models.includes(model));
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
