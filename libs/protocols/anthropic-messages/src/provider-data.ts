import { isJsonObject, providerDataOf, type IrContentPart, type IrProviderData } from '@gw/ir';
import type { JsonObject } from './anthropic.schema';

/** This protocol's key in IR `providerData`: what an Anthropic client or upstream issued and only Anthropic reads back. */
export const ANTHROPIC_ISSUER = 'anthropic';

/**
 * Blocks with no IR shape (document, server tool use and results, search results, container uploads) are
 * carried as an `unsupported` part whose `original` is `{ [ANTHROPIC_BLOCK_KEY]: block }`: an Anthropic
 * upstream gets the block back verbatim, any other protocol's encoder drops it with a `content_dropped` warning.
 */
export const ANTHROPIC_BLOCK_KEY = 'anthropicContentBlock';

/** `{ providerData: { anthropic: data } }`, or nothing when every value is undefined. */
export function anthropicData(data: Record<string, unknown>): { providerData?: IrProviderData } {
  const defined = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  return Object.keys(defined).length === 0 ? {} : { providerData: { [ANTHROPIC_ISSUER]: defined } };
}

/** One value Anthropic attached to an IR holder. */
export function anthropicValue(holder: { providerData?: IrProviderData }, key: string): unknown {
  return providerDataOf(holder, ANTHROPIC_ISSUER)?.[key];
}

export function anthropicString(holder: { providerData?: IrProviderData }, key: string): string | undefined {
  const value = anthropicValue(holder, key);
  return typeof value === 'string' ? value : undefined;
}

/** `cache_control` as the client sent it, to put back on the block an Anthropic upstream receives. */
export function cacheControlOf(holder: { providerData?: IrProviderData }): { cache_control?: unknown } {
  const cacheControl = anthropicValue(holder, 'cache_control');
  return cacheControl === undefined ? {} : { cache_control: cacheControl };
}

export function passthroughBlockPart(block: JsonObject, description: string): IrContentPart {
  return { type: 'unsupported', original: { [ANTHROPIC_BLOCK_KEY]: block }, description };
}

/** The verbatim Anthropic block behind an `unsupported` part, if an Anthropic client sent it. */
export function passthroughBlockOf(part: IrContentPart): JsonObject | undefined {
  if (part.type !== 'unsupported' || !isJsonObject(part.original)) return undefined;
  const block = part.original[ANTHROPIC_BLOCK_KEY];
  return isJsonObject(block) ? block : undefined;
}

/**
 * Another issuer's reasoning state (Responses `encrypted_content`, a Gemini `thoughtSignature`) shown to an
 * Anthropic client rides in the thinking block's `signature`, which Anthropic clients store and send back
 * verbatim: `FOREIGN_SIGNATURE_PREFIX` + base64url(JSON of that provider data). When the conversation goes
 * back to the issuer's upstream type, the reasoning is replayed losslessly; to an Anthropic upstream it is
 * dropped with a warning, like any reasoning Anthropic did not sign.
 */
export const FOREIGN_SIGNATURE_PREFIX = 'axonhub-pd1.';

export function foreignSignature(providerData: IrProviderData | undefined): string | undefined {
  if (providerData === undefined) return undefined;
  const foreign = Object.fromEntries(Object.entries(providerData).filter(([issuer]) => issuer !== ANTHROPIC_ISSUER));
  if (Object.keys(foreign).length === 0) return undefined;
  return FOREIGN_SIGNATURE_PREFIX + Buffer.from(JSON.stringify(foreign), 'utf8').toString('base64url');
}

/** The provider data behind a gateway-made signature; undefined for Anthropic's own signatures and anything malformed. */
export function providerDataFromSignature(signature: string): IrProviderData | undefined {
  if (!signature.startsWith(FOREIGN_SIGNATURE_PREFIX)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(signature.slice(FOREIGN_SIGNATURE_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  // Only other issuers' data: an Anthropic signature is never taken from inside an envelope the client could have written.
  const entries = Object.entries(parsed).filter(
    (entry): entry is [string, Record<string, unknown>] => entry[0] !== ANTHROPIC_ISSUER && isJsonObject(entry[1]),
  );
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}
