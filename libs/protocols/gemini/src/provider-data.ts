import { isJsonObject, providerDataEnvelope, providerDataFromEnvelope, providerDataOf, type IrProviderData } from '@gw/ir';

/** This protocol's key in IR `providerData`: what Gemini issued (a `thoughtSignature`, a call `id`) and only Gemini reads back. */
export const GEMINI_ISSUER = 'gemini';

/**
 * Gemini accepts this value in place of a thought signature it did not issue (a function call from another
 * provider's turn in the history): Gemini 3 refuses a current-turn function call without any signature.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export const SKIP_SIGNATURE_VALIDATION = 'skip_thought_signature_validator';

/** `{ providerData: { gemini: data } }`, or nothing when every value is undefined. */
export function geminiData(data: Record<string, unknown>): { providerData?: IrProviderData } {
  const defined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  return Object.keys(defined).length === 0 ? {} : { providerData: { [GEMINI_ISSUER]: defined } };
}

export function geminiValue(holder: { providerData?: IrProviderData }, key: string): unknown {
  return providerDataOf(holder, GEMINI_ISSUER)?.[key];
}

export function geminiString(holder: { providerData?: IrProviderData }, key: string): string | undefined {
  const value = geminiValue(holder, key);
  return typeof value === 'string' ? value : undefined;
}

/** A non-Gemini part (audio, PDF, executable code, ...) carried verbatim for a Gemini upstream. */
export const GEMINI_PART_KEY = 'geminiPart';

export function passthroughPartOf(original: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(original)) return undefined;
  const part = original[GEMINI_PART_KEY];
  return isJsonObject(part) ? part : undefined;
}

/**
 * The proto3 JSON mapping lets REST callers write field names in snake_case (`system_instruction`,
 * `inline_data`, `mime_type`, as Google's curl examples do) or lowerCamelCase (the SDKs): read both.
 */
export function field(object: Record<string, unknown>, camelName: string): unknown {
  const value = object[camelName];
  if (value !== undefined) return value;
  return object[camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)];
}

/**
 * A `thoughtSignature` a client sent → provider data: Gemini's own signature under the `gemini` issuer, or,
 * for the gateway's envelope (another provider's reasoning state shown to a Gemini client), that provider's data.
 */
export function signatureData(signature: string | undefined): { providerData?: IrProviderData } {
  if (signature === undefined) return {};
  const foreign = providerDataFromEnvelope(signature, GEMINI_ISSUER);
  return foreign !== undefined ? { providerData: foreign } : geminiData({ thoughtSignature: signature });
}

/** The `thoughtSignature` a Gemini client gets for a piece of output: Gemini's own, else the envelope of another issuer's state. */
export function clientSignature(providerData: IrProviderData | undefined): string | undefined {
  const own = providerData?.[GEMINI_ISSUER]?.thoughtSignature;
  return typeof own === 'string' ? own : providerDataEnvelope(providerData, GEMINI_ISSUER);
}
