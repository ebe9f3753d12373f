import {
  PROVIDER_DATA_ENVELOPE_PREFIX,
  isJsonObject,
  providerDataEnvelope,
  providerDataFromEnvelope,
  providerDataOf,
  type IrContentPart,
  type IrProviderData,
} from '@gw/ir';
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
 * verbatim: the gateway's provider-data envelope (libs/ir provider-data-envelope.ts, shared with Gemini's
 * `thoughtSignature`). When the conversation goes back to the issuer's upstream type, the reasoning is
 * replayed losslessly; to an Anthropic upstream it is dropped with a warning, like any reasoning Anthropic
 * did not sign.
 */
export const FOREIGN_SIGNATURE_PREFIX = PROVIDER_DATA_ENVELOPE_PREFIX;

export function foreignSignature(providerData: IrProviderData | undefined): string | undefined {
  return providerDataEnvelope(providerData, ANTHROPIC_ISSUER);
}

/**
 * The provider data behind a gateway-made signature; undefined for Anthropic's own signatures and anything
 * malformed. Never Anthropic's data: an Anthropic signature is never taken from an envelope a client could write.
 */
export function providerDataFromSignature(signature: string): IrProviderData | undefined {
  return providerDataFromEnvelope(signature, ANTHROPIC_ISSUER);
}
