import { MAX_TIMER_MS } from '@gw/config';
import { CHANNEL_TYPES, type ChannelCredentialView, type ChannelType } from '@gw/contracts';
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
}

/** The body members a create or a PATCH may carry (snake_case, as on the wire and in config.yml). */
const FIELD_NAMES = ['name', 'type', 'base_url', 'api_key', 'models', 'enabled', 'timeout_ms'] as const;
type FieldName = (typeof FIELD_NAMES)[number];

/** A create: every field but `enabled` (default true) and `timeout_ms` (default null: `upstream.header_timeout_ms`). */
export function parseChannelCreate(body: Record<string, unknown>): ChannelFields {
  refuseUnknownFields(body);
  for (const field of ['name', 'type', 'base_url', 'api_key', 'models'] as const) {
    if (body[field] === undefined) throw invalid(`${field} is required`, { field });
  }
  const parsed = parseChannelPatch(body);
  return {
    name: parsed.name!,
    type: parsed.type!,
    baseUrl: parsed.baseUrl!,
    apiKey: parsed.apiKey!,
    models: parsed.models!,
    enabled: parsed.enabled ?? true,
    timeoutMs: parsed.timeoutMs ?? null,
  };
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
  return patch;
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
