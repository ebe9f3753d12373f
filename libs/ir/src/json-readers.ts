import { GatewayError } from './errors';

/**
 * The one vocabulary of decoding helpers every protocol lib shares (ADR 0015):
 * - `invalidRequest(message, param)`: the 400 for a client body, naming the offending field. Message first,
 *   as in `new GatewayError(code, message, { param })`.
 * - Strict readers for client input (`optional*`, `required*`, taking the value and its `param` path):
 *   absent (undefined or null) is fine, a wrong type is a 400 naming the field.
 * - Lenient readers for upstream output (`*OrUndefined`): the value if it has the type, else undefined.
 */

export type JsonRecord = Record<string, unknown>;

export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, param === undefined ? {} : { param });
}

export function isJsonObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------- lenient (upstream output)

export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A non-empty string or undefined: upstreams send `""` and `null` interchangeably for "nothing". */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// ---------------------------------------------------------------- strict (client input)

export function optionalString(value: unknown, param: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`'${param}' must be a string`, param);
  return value;
}

export function requiredString(value: unknown, param: string): string {
  if (typeof value !== 'string' || value === '') throw invalidRequest(`'${param}' is required and must be a non-empty string`, param);
  return value;
}

export function optionalBoolean(value: unknown, param: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`'${param}' must be a boolean`, param);
  return value;
}

export function optionalNumberInRange(value: unknown, param: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw invalidRequest(`'${param}' must be a number between ${min} and ${max}`, param);
  }
  return value;
}

export function optionalPositiveInteger(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidRequest(`'${param}' must be a positive integer`, param);
  }
  return value;
}

export function optionalObject(value: unknown, param: string): JsonRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw invalidRequest(`'${param}' must be an object`, param);
  return value;
}

export function optionalArray(value: unknown, param: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`'${param}' must be an array`, param);
  return value as unknown[];
}
