/** Request of `auth.api-key.verify`. The secret travels over the bus only on a cache miss. */
export interface VerifyApiKeyRequest {
  secret: string;
}

/** What the data plane needs to know about a key; cached in ingress (LRU) and Redis. */
export interface VerifiedApiKey {
  apiKeyId: string;
  apiKeyName: string;
  projectId: string;
  /** Name of the key's active model profile, or null to pass model names through. */
  activeProfile: string | null;
  /**
   * Epoch milliseconds after which the key is refused, or null. Carried in the cached decision so an entry
   * cached before the expiry cannot outlive it.
   */
  expiresAtMs: number | null;
}

export type VerifyApiKeyReply = { ok: true; key: VerifiedApiKey } | { ok: false };

/** Event on `auth.api-key.changed`: evict this key (or every key when `lookup` is absent). */
export interface ApiKeyChangedEvent {
  lookup?: string;
}
