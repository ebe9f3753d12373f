import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const TOKEN_VERSION = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size
const TAG_BYTES = 16;
/**
 * Fixed salt: the key must be re-derivable from the configured material alone. scrypt (rather than one
 * sha256) makes a weak passphrase used as key material expensive to brute-force from a stolen database.
 */
const KEY_DERIVATION_SALT = 'axonhub-gateway/secret-cipher/v1';

/** Reversible encryption of stored upstream credentials (AES-256-GCM, authenticated). */
export class SecretCipher {
  private constructor(private readonly key: Buffer) {}

  /** Accepts any non-empty string: a passphrase, or hex/base64 random bytes (e.g. `secret.key`). */
  static fromKeyMaterial(material: string): SecretCipher {
    const trimmed = material.trim();
    if (trimmed.length === 0) throw new Error('SecretCipher: the encryption key material is empty');
    return new SecretCipher(scryptSync(trimmed, KEY_DERIVATION_SALT, 32));
  }

  /** Returns `v1:<iv b64>:<tag b64>:<ciphertext b64>`; a fresh random IV every call. */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [TOKEN_VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(token: string): string {
    const parts = token.split(':');
    const [version, ivText, tagText, ciphertextText] = parts;
    if (parts.length !== 4 || version !== TOKEN_VERSION || ivText === undefined || tagText === undefined || ciphertextText === undefined) {
      throw new Error(`SecretCipher: not a ${TOKEN_VERSION} encrypted value`);
    }
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error('SecretCipher: malformed encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // GCM cannot tell a wrong key from tampering; the wrong key is by far the likelier cause.
      throw new Error('SecretCipher: cannot decrypt: wrong encryption key (or the stored value was altered)');
    }
  }
}
