import type { DataSource, EntityManager } from 'typeorm';
import type { ModelRule } from '@gw/contracts';
import { AdvisoryLockKeys } from '../advisory-locks';
import { hashApiKey, verifyApiKeyHash } from '../api-key-hash';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { ChannelEntity } from '../entities/channel.entity';
import { ModelProfileEntity } from '../entities/model-profile.entity';
import { ProjectEntity } from '../entities/project.entity';
import type { SecretCipher } from '../secret-cipher';
import { shownPrefix } from '../admin/admin-secrets';
import { validateBootstrap } from './bootstrap-validation';
import type { BootstrapApiKey, BootstrapChannel, BootstrapConfig, BootstrapProfile, BootstrapResult } from './bootstrap.types';

export const DEFAULT_PROJECT_NAME = 'default';

/**
 * Makes the database hold what the `bootstrap:` section lists; run at every start. Upserts by name and
 * writes nothing when the data already matches, so `changed` is false on a plain restart. Entries not
 * listed are left alone (they may have been created by an admin), and so is a key's revocation.
 * Throws `BootstrapValidationError` before writing anything when the section is invalid.
 */
export async function applyBootstrap(dataSource: DataSource, bootstrap: BootstrapConfig, cipher: SecretCipher): Promise<BootstrapResult> {
  validateBootstrap(bootstrap);
  return dataSource.transaction(async (manager) => {
    // Replicas start together; without this both would insert the same names and one would fail.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLockKeys.bootstrap]);
    const project = await ensureDefaultProject(manager);
    let routingChanged = false;
    let apiKeysChanged = false;
    for (const channel of bootstrap.channels ?? []) {
      if (await upsertChannel(manager, channel, cipher)) routingChanged = true;
    }
    for (const apiKey of bootstrap.api_keys ?? []) {
      const outcome = await upsertApiKey(manager, apiKey, project.entity.id);
      if (outcome.keyChanged) apiKeysChanged = true;
      if (outcome.profilesChanged) routingChanged = true;
    }
    return { changed: project.created || routingChanged || apiKeysChanged, routingChanged, apiKeysChanged };
  });
}

async function ensureDefaultProject(manager: EntityManager): Promise<{ entity: ProjectEntity; created: boolean }> {
  const existing = await manager.findOne(ProjectEntity, { where: { name: DEFAULT_PROJECT_NAME } });
  if (existing !== null) return { entity: existing, created: false };
  return { entity: await manager.save(ProjectEntity, { name: DEFAULT_PROJECT_NAME }), created: true };
}

async function upsertChannel(manager: EntityManager, channel: BootstrapChannel, cipher: SecretCipher): Promise<boolean> {
  const desired = { type: channel.type, baseUrl: channel.base_url, models: [...channel.models], timeoutMs: channel.timeout_ms ?? null };
  const existing = await manager.findOne(ChannelEntity, { where: { name: channel.name } });
  if (existing === null) {
    await manager.insert(ChannelEntity, { name: channel.name, ...desired, apiKeyEncrypted: cipher.encrypt(channel.api_key) });
    return true;
  }
  // Re-encrypting an unchanged key would change the stored token (fresh IV) and report a false change.
  const apiKeyUnchanged = decryptsTo(cipher, existing.apiKeyEncrypted, channel.api_key);
  const unchanged =
    apiKeyUnchanged &&
    existing.type === desired.type &&
    existing.baseUrl === desired.baseUrl &&
    existing.timeoutMs === desired.timeoutMs &&
    sameJson(existing.models, desired.models);
  if (unchanged) return false;
  await manager.update(
    ChannelEntity,
    { id: existing.id },
    { ...desired, ...(apiKeyUnchanged ? {} : { apiKeyEncrypted: cipher.encrypt(channel.api_key) }) },
  );
  return true;
}

/** A value stored under another encryption key counts as different, so it is re-encrypted with ours. */
function decryptsTo(cipher: SecretCipher, token: string, plain: string): boolean {
  try {
    return cipher.decrypt(token) === plain;
  } catch {
    return false;
  }
}

async function upsertApiKey(
  manager: EntityManager,
  apiKey: BootstrapApiKey,
  projectId: string,
): Promise<{ keyChanged: boolean; profilesChanged: boolean }> {
  const activeProfile = apiKey.active_profile ?? null;
  // Key names are unique per project; bootstrap keys live in the default project.
  const existing = await manager.findOne(ApiKeyEntity, { where: { name: apiKey.name, projectId } });
  let apiKeyId: string;
  let keyChanged: boolean;
  if (existing === null) {
    const { lookup, hash } = await hashApiKey(apiKey.key);
    const created = await manager.save(ApiKeyEntity, {
      projectId,
      name: apiKey.name,
      keyLookup: lookup,
      keyHash: hash,
      prefix: shownPrefix(apiKey.key),
      activeProfile,
      revokedAt: null,
    });
    apiKeyId = created.id;
    keyChanged = true;
  } else {
    apiKeyId = existing.id;
    // Hashes are salted: only a verify tells whether the configured secret is still the stored one.
    const secretUnchanged = await verifyApiKeyHash(apiKey.key, existing.keyHash);
    const rehashed = secretUnchanged
      ? {}
      : await hashApiKey(apiKey.key).then(({ lookup, hash }) => ({ keyLookup: lookup, keyHash: hash, prefix: shownPrefix(apiKey.key) }));
    keyChanged = !secretUnchanged || existing.activeProfile !== activeProfile;
    if (keyChanged) await manager.update(ApiKeyEntity, { id: existing.id }, { ...rehashed, activeProfile });
  }
  const profilesChanged = await replaceProfiles(manager, apiKeyId, apiKey.profiles ?? []);
  return { keyChanged, profilesChanged };
}

/** The key ends up with exactly the listed profiles; rows are rewritten only when something differs. */
async function replaceProfiles(manager: EntityManager, apiKeyId: string, profiles: BootstrapProfile[]): Promise<boolean> {
  const desired = profiles.map((profile) => ({ name: profile.name, rules: profile.rules.map(normalizeRule) }));
  const existing = await manager.find(ModelProfileEntity, { where: { apiKeyId } });
  const existingByName = new Map(existing.map((profile) => [profile.name, profile.rules.map(normalizeRule)]));
  const unchanged =
    existing.length === desired.length &&
    desired.every((profile) => existingByName.has(profile.name) && sameJson(existingByName.get(profile.name), profile.rules));
  if (unchanged) return false;
  await manager.delete(ModelProfileEntity, { apiKeyId });
  if (desired.length > 0)
    await manager.insert(
      ModelProfileEntity,
      desired.map((profile) => ({ apiKeyId, ...profile })),
    );
  return true;
}

/** Keeps only `from` and `to` in that order; jsonb reorders object keys, so compare normalised copies. */
function normalizeRule(rule: ModelRule): ModelRule {
  return { from: rule.from, to: rule.to };
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
