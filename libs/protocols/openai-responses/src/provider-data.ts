import { providerDataOf, type IrProviderData } from '@gw/ir';

/** This protocol's key in IR `providerData`: what a Responses upstream issued and only it can read back. */
export const RESPONSES_ISSUER = 'openai-responses';

/** Reasoning `encrypted_content` issued by a Responses upstream, if the holder carries one. */
export function encryptedContentOf(holder: { providerData?: IrProviderData }): string | undefined {
  const value = providerDataOf(holder, RESPONSES_ISSUER)?.encryptedContent;
  return typeof value === 'string' ? value : undefined;
}

/** `{ providerData }` holding `encrypted_content` under this issuer, or nothing when there is none. */
export function encryptedContentData(encryptedContent: string | undefined): { providerData?: IrProviderData } {
  return encryptedContent === undefined ? {} : { providerData: { [RESPONSES_ISSUER]: { encryptedContent } } };
}
