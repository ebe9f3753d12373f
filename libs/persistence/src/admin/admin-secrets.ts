import { randomBytes } from 'node:crypto';

/** API keys start `ah-`, admin tokens `ahadm-`: a leaked string says what it opens. 32 random bytes each. */
export const API_KEY_SECRET_PREFIX = 'ah-';
export const ADMIN_TOKEN_SECRET_PREFIX = 'ahadm-';
/** Characters kept for lists: the scheme prefix and a few random ones (never enough to guess the rest). */
const SHOWN_PREFIX_RANDOM_CHARS = 6;

export function newSecret(schemePrefix: string): string {
  return schemePrefix + randomBytes(32).toString('base64url');
}

/** What lists show of a secret. Bootstrap keys chosen by hand get the same treatment. */
export function shownPrefix(secret: string): string {
  const scheme = [ADMIN_TOKEN_SECRET_PREFIX, API_KEY_SECRET_PREFIX].find((prefix) => secret.startsWith(prefix)) ?? '';
  return secret.slice(0, scheme.length + SHOWN_PREFIX_RANDOM_CHARS);
}
