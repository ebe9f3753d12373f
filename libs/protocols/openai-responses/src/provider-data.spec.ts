import { PROVIDER_DATA_ENVELOPE_PREFIX } from '@gw/ir';
import { clientEncryptedContentOf, encryptedContentData, encryptedContentOf } from './provider-data';

describe('encrypted_content for Responses clients', () => {
  const anthropic = { anthropic: { signature: 'EqQBCkYIBxgCKkBsig' } };

  it("carries another issuer's reasoning state to the client in the envelope, and reads it back from the client's next turn", () => {
    const shown = clientEncryptedContentOf({ providerData: anthropic });
    expect(shown?.startsWith(PROVIDER_DATA_ENVELOPE_PREFIX)).toBe(true);
    expect(encryptedContentData(shown)).toEqual({ providerData: anthropic });
    // Never sent to a Responses upstream as if OpenAI had issued it.
    expect(encryptedContentOf(encryptedContentData(shown))).toBeUndefined();
  });

  it("keeps OpenAI's own encrypted content as it is, and never takes OpenAI's state from an envelope", () => {
    expect(clientEncryptedContentOf(encryptedContentData('gAAAAABown'))).toBe('gAAAAABown');
    const forged =
      PROVIDER_DATA_ENVELOPE_PREFIX + Buffer.from(JSON.stringify({ 'openai-responses': { encryptedContent: 'x' } })).toString('base64url');
    expect(encryptedContentData(forged)).toEqual({ providerData: { 'openai-responses': { encryptedContent: forged } } });
  });
});
