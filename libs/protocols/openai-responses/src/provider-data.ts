import { providerDataEnvelope, providerDataFromEnvelope, providerDataOf, type IrProviderData } from '@gw/ir';

/** This protocol's key in IR `providerData`: what a Responses upstream issued and only it can read back. */
export const RESPONSES_ISSUER = 'openai-responses';

/** Reasoning `encrypted_content` issued by a Responses upstream, if the holder carries one. */
export function encryptedContentOf(holder: { providerData?: IrProviderData }): string | undefined {
  const value = providerDataOf(holder, RESPONSES_ISSUER)?.encryptedContent;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The `encrypted_content` a Responses CLIENT gets: the upstream's own, else other issuers' reasoning state (an
 * Anthropic thinking signature, a Gemini thought signature) in the gateway's provider-data envelope. Codex
 * stores it and sends it back verbatim, so a conversation that goes back to an Anthropic or Gemini channel
 * replays its reasoning losslessly (ADR 0015, ADR 0021). Never sent to a Responses upstream (`encryptedContentOf`).
 */
export function clientEncryptedContentOf(holder: { providerData?: IrProviderData }): string | undefined {
  return encryptedContentOf(holder) ?? providerDataEnvelope(holder.providerData, RESPONSES_ISSUER);
}

/**
 * `{ providerData }` for an `encrypted_content`: under this issuer, or the other issuers' state a gateway
 * envelope holds (never this issuer's own from an envelope: a client could have written it). Nothing when absent.
 */
export function encryptedContentData(encryptedContent: string | undefined): { providerData?: IrProviderData } {
  if (encryptedContent === undefined) return {};
  const foreign = providerDataFromEnvelope(encryptedContent, RESPONSES_ISSUER);
  if (foreign !== undefined) return { providerData: foreign };
  return { providerData: { [RESPONSES_ISSUER]: { encryptedContent } } };
}
