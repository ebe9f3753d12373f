import { IsNull } from 'typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { VerifiedApiKey } from '@gw/contracts';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { apiKeyLookup, verifyApiKeyHash } from '../api-key-hash';

/** The auth service's view of API keys. */
export class ApiKeyStore {
  private readonly apiKeys: Repository<ApiKeyEntity>;

  constructor(dataSource: DataSource) {
    this.apiKeys = dataSource.getRepository(ApiKeyEntity);
  }

  /** The key a client secret belongs to, or null when unknown, revoked or expired. */
  async verify(secret: string): Promise<VerifiedApiKey | null> {
    // The lookup prefix is not unique; scrypt decides among the (almost always single) candidates.
    const candidates = await this.apiKeys.find({ where: { keyLookup: apiKeyLookup(secret), revokedAt: IsNull() } });
    for (const candidate of candidates) {
      if (candidate.expiresAt !== null && candidate.expiresAt.getTime() <= Date.now()) continue;
      if (await verifyApiKeyHash(secret, candidate.keyHash)) return toVerifiedApiKey(candidate);
    }
    return null;
  }

  /**
   * Marks a key revoked (idempotent). Returns its lookup so the caller can publish `auth.api-key.changed`,
   * or null when no key has that name.
   */
  async revokeByName(name: string): Promise<{ lookup: string } | null> {
    const apiKey = await this.apiKeys.findOne({ where: { name } });
    if (apiKey === null) return null;
    if (apiKey.revokedAt === null) await this.apiKeys.update({ id: apiKey.id }, { revokedAt: new Date() });
    return { lookup: apiKey.keyLookup };
  }
}

function toVerifiedApiKey(apiKey: ApiKeyEntity): VerifiedApiKey {
  return {
    apiKeyId: apiKey.id,
    apiKeyName: apiKey.name,
    projectId: apiKey.projectId,
    activeProfile: apiKey.activeProfile,
    expiresAtMs: apiKey.expiresAt?.getTime() ?? null,
  };
}
