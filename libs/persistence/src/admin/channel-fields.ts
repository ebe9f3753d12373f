import { MAX_TIMER_MS } from '@gw/config';
import { CHANNEL_TYPES, type ChannelCredentialView, type ChannelType } from '@gw/contracts';
import { authHeaderOf, findPreset, headersProblem, modelMapProblem, presetProblem, unservedMappedModel } from '@gw/providers';
import { invalid, requireName } from './admin-failure';

/**
 * A channel's fields as the admin API and the `bootstrap:` section write them, validated once here for both
 * (bootstrap turns a refusal into its own error before writing anything). Pure: no database, no I/O.
 */
export interface ChannelFields {
  name: string;
  type: ChannelType;
  baseUrl: string;
  /** The upstream credential in plain text: it only passes through here on its way to the cipher. */
  apiKey: string;
  models: string[];
  enabled: boolean;
  timeoutMs: number | null;
  /** An OpenAI-compatible vendor preset (`@gw/providers`), type `openai` only. */
  preset: string | null;
  /** The model the profile mapped to → the name this channel's upstream wants. */
  modelMap: Record<string, string>;
  /** Extra request headers in plain text, on their way to the cipher like `apiKey` (they may be credentials). */
  headers: Record<string, string>;
}

/** The body members a create or a PATCH may carry (snake_case, as on the wire and in config.yml). */
const FIELD_NAMES = ['name', 'type', 'preset', 'base_url', 'api_key', 'models', 'model_map', 'headers', 'enabled', 'timeout_ms'] as const;
type FieldName = (typeof FIELD_NAMES)[number];

/**
 * A create: `name`, `api_key` and `models`, and `type` and `base_url` unless a preset gives them (`type`
 * `openai`, the preset's default base URL). Defaults: enabled, `timeout_ms` null (`upstream.header_timeout_ms`),
 * no preset, no model map, no extra headers.
 */
export function parseChannelCreate(body: Record<string, unknown>): ChannelFields {
  refuseUnknownFields(body);
  // First: an unknown preset gives no defaults, and "type is required" would hide the real mistake.
  const preset = body.preset === undefined || body.preset === null ? undefined : findPreset(requirePreset(body.preset)!);
  const defaults: Record<string, unknown> = {};
  if (preset !== undefined && body.type === undefined) defaults.type = 'openai';
  if (preset?.defaultBaseUrl && body.base_url === undefined) defaults.base_url = preset.defaultBaseUrl;
  const withDefaults = { ...defaults, ...body };
  for (const field of ['name', 'type', 'base_url', 'api_key', 'models'] as const) {
    if (withDefaults[field] === undefined) {
      const why = field === 'base_url' && preset !== undefined ? ` (preset ${preset.id} has no default base URL)` : '';
      throw invalid(`${field} is required${why}`, { field });
    }
  }
  const parsed = parseChannelPatch(withDefaults);
  const fields: ChannelFields = {
    name: parsed.name!,
    type: parsed.type!,
    baseUrl: parsed.baseUrl!,
    apiKey: parsed.apiKey!,
    models: parsed.models!,
    enabled: parsed.enabled ?? true,
    timeoutMs: parsed.timeoutMs ?? null,
    preset: parsed.preset ?? null,
    modelMap: parsed.modelMap ?? {},
    headers: parsed.headers ?? {},
  };
  checkChannelCombination(fields);
  return fields;
}

/**
 * Rules between fields, checked on the whole channel (a create, or a PATCH merged with the stored channel): a
 * preset only on `openai` channels, no extra header carrying the credential a second time, no model map entry
 * for a model the channel does not serve.
 */
export function checkChannelCombination(fields: Pick<ChannelFields, 'type' | 'preset' | 'headers' | 'modelMap' | 'models'>): void {
  if (fields.preset !== null) {
    const problem = presetProblem(fields.preset, fields.type);
    if (problem !== undefined) throw invalid(problem, { field: 'preset' });
  }
  const headerProblem = headersProblem(fields.headers, authHeaderOf(fields.preset));
  if (headerProblem !== undefined) throw invalid(headerProblem, { field: 'headers' });
  const unserved = unservedMappedModel(fields.modelMap, fields.models);
  if (unserved !== undefined) {
    throw invalid(`model_map: ${JSON.stringify(unserved)} is not one of the channel's models`, { field: 'model_map' });
  }
}

/** A PATCH: any subset of the create fields; absent ones stay as they are. */
export function parseChannelPatch(body: Record<string, unknown>): Partial<ChannelFields> {
  refuseUnknownFields(body);
  const patch: Partial<ChannelFields> = {};
  if (body.name !== undefined) patch.name = requireName(body.name, 'name');
  if (body.type !== undefined) patch.type = requireType(body.type);
  if (body.base_url !== undefined) patch.baseUrl = requireBaseUrl(body.base_url);
  if (body.api_key !== undefined) patch.apiKey = requireCredential(body.api_key);
  if (body.models !== undefined) patch.models = requireModels(body.models);
  if (body.enabled !== undefined) {
    if (typeof body.enabled !== 'boolean') throw invalid('enabled must be true or false', { field: 'enabled' });
    patch.enabled = body.enabled;
  }
  if (body.timeout_ms !== undefined) patch.timeoutMs = requireTimeout(body.timeout_ms);
  if (body.preset !== undefined) patch.preset = requirePreset(body.preset);
  if (body.model_map !== undefined) patch.modelMap = requireModelMap(body.model_map);
  if (body.headers !== undefined) patch.headers = requireHeaders(body.headers);
  return patch;
}

/** null removes the preset; its type is checked with the channel's (`checkChannelCombination`). */
function requirePreset(value: unknown): string | null {
  if (value === null) return null;
  const problem = presetProblem(value, 'openai');
  if (problem !== undefined) throw invalid(problem, { field: 'preset' });
  return value as string;
}

/** Replaced whole; null or `{}` removes every mapping. */
function requireModelMap(value: unknown): Record<string, string> {
  if (value === null) return {};
  const problem = modelMapProblem(value);
  if (problem !== undefined) throw invalid(problem, { field: 'model_map' });
  return { ...(value as Record<string, string>) };
}

/** Replaced whole (values are write-only: there is nothing to merge with); null or `{}` removes them all. */
function requireHeaders(value: unknown): Record<string, string> {
  if (value === null) return {};
  const problem = headersProblem(value, undefined);
  if (problem !== undefined) throw invalid(problem, { field: 'headers' });
  return { ...(value as Record<string, string>) };
}

/**
 * Never the secret: the last four characters of a credential of at least 16, nothing of a shorter one (four
 * characters of an eight-character key are half of it).
 */
export const MIN_LENGTH_SHOWING_LAST4 = 16;

export function maskCredential(plain: string | null): ChannelCredentialView {
  if (plain === null || plain.length < MIN_LENGTH_SHOWING_LAST4) return { set: true, last4: null };
  return { set: true, last4: plain.slice(-4) };
}

function refuseUnknownFields(body: Record<string, unknown>): void {
  // A misspelt field (`apiKey`, `baseUrl`) would otherwise be ignored silently and the write would look done.
  const unknown = Object.keys(body).filter((key) => !(FIELD_NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw invalid(`Unknown field ${JSON.stringify(unknown[0])}; a channel has ${FIELD_NAMES.join(', ')}`, {
      field: unknown[0] as FieldName,
    });
  }
}

function requireType(value: unknown): ChannelType {
  if (typeof value !== 'string' || !(CHANNEL_TYPES as readonly string[]).includes(value)) {
    throw invalid(`type ${JSON.stringify(value)} is not one of ${CHANNEL_TYPES.join(', ')}`, { field: 'type' });
  }
  return value as ChannelType;
}

function requireBaseUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid('base_url must be an http(s) URL, e.g. https://api.deepseek.com/v1', { field: 'base_url' });
  }
  // A credential in the URL would be shown by every read of the channel; it belongs in api_key.
  if (url.username !== '' || url.password !== '') {
    throw invalid('base_url must not contain a user name or password; put the credential in api_key', { field: 'base_url' });
  }
  return value as string;
}

function requireCredential(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid('api_key must be a non-empty string', { field: 'api_key' });
  // It becomes an HTTP header value: a line break or control character would break (or smuggle) headers.
  if (hasControlCharacter(value)) throw invalid('api_key must not contain control characters or line breaks', { field: 'api_key' });
  return value;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function requireModels(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw invalid('models must be a non-empty list of model names', { field: 'models' });
  }
  const seen = new Set<string>();
  value.forEach((model, index) => {
    if (typeof model !== 'string' || model.trim() === '') {
      throw invalid(`models[${index}] must be a non-empty string`, { field: 'models', index });
    }
    if (seen.has(model)) throw invalid(`models[${index}]: "${model}" is listed twice`, { field: 'models', index });
    seen.add(model);
  });
  return [...(value as string[])];
}

function requireTimeout(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMER_MS) {
    throw invalid(`timeout_ms must be null or a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`, { field: 'timeout_ms' });
  }
  return value;
}
