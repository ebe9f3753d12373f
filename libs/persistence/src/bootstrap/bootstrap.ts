import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ModelRule } from '@gw/contracts';
import { AdvisoryLockKeys } from '../advisory-locks';
import { hashApiKey, verifyApiKeyHash } from '../api-key-hash';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { BootstrapItemEntity } from '../entities/bootstrap-item.entity';
import { ModelProfileEntity } from '../entities/model-profile.entity';
import { ProjectEntity } from '../entities/project.entity';
import type { SecretCipher } from '../secret-cipher';
import { shownPrefix } from '../admin/admin-secrets';
import { applyBootstrapChannels } from './bootstrap-channels';
import { validateBootstrap } from './bootstrap-validation';
import type { BootstrapApiKey, BootstrapConfig, BootstrapProfile, BootstrapResult } from './bootstrap.types';

export const DEFAULT_PROJECT_NAME = 'default';

/**
 * Makes the database hold what the `bootstrap:` section lists; run at every start. Upserts by name and
 * writes nothing when the data already matches, so `changed` is false on a plain restart. Entries not
 * listed are left alone (they may have been created by an admin), and so is a key's revocation. Channels,
 * keys and profiles are re-applied only when their form in the file differs from the one last applied
 * (`bootstrap_items`), so a change made through the admin API survives restarts with an unchanged file.
 * Channels are written with the admin API's own commands (see `applyBootstrapChannels`).
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
    if (await applyBootstrapChannels(manager, bootstrap.channels ?? [], cipher)) routingChanged = true;
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

async function upsertApiKey(
  manager: EntityManager,
  apiKey: BootstrapApiKey,
  projectId: string,
): Promise<{ keyChanged: boolean; profilesChanged: boolean }> {
  const activeProfile = apiKey.active_profile ?? null;
  const existing = await manager.findOne(ApiKeyEntity, { where: { name: apiKey.name, projectId } });
  // The secret enters the form as a digest: the table must not hold anything that opens the key.
  const keyForm = formHash({ secret: createHash('sha256').update(apiKey.key).digest('hex'), active_profile: activeProfile });
  const keyUnchangedInFile = existing !== null && (await lastAppliedForm(manager, 'api_key', apiKey.name)) === keyForm;
  let apiKeyId: string;
  let keyChanged = false;
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
    // The file did not change this key since it was last applied: what the admin API did to it stands.
    if (!keyUnchangedInFile) {
      // Hashes are salted: only a verify tells whether the configured secret is still the stored one.
      const secretUnchanged = await verifyApiKeyHash(apiKey.key, existing.keyHash);
      const rehashed = secretUnchanged
        ? {}
        : await hashApiKey(apiKey.key).then(({ lookup, hash }) => ({ keyLookup: lookup, keyHash: hash, prefix: shownPrefix(apiKey.key) }));
      keyChanged = !secretUnchanged || existing.activeProfile !== activeProfile;
      if (keyChanged) await manager.update(ApiKeyEntity, { id: existing.id }, { ...rehashed, activeProfile });
    }
  }
  await recordApplied(manager, 'api_key', apiKey.name, keyForm);
  const profilesChanged = await applyProfiles(manager, apiKeyId, apiKey.name, apiKey.profiles ?? []);
  return { keyChanged, profilesChanged };
}

/**
 * Each listed profile is written only when its rules in the file differ from the form last applied (or it
 * was never applied); a profile bootstrap applied before and the file no longer lists is deleted (the file
 * changed that very item), unless it is the key's active profile. Profiles bootstrap never applied (made
 * through the admin API) are left alone.
 */
async function applyProfiles(manager: EntityManager, apiKeyId: string, keyName: string, profiles: BootstrapProfile[]): Promise<boolean> {
  let changed = false;
  const listed = new Set<string>();
  for (const profile of profiles) {
    const itemName = `${keyName}/${profile.name}`;
    listed.add(itemName);
    const rules = profile.rules.map(normalizeRule);
    const form = formHash(rules);
    if ((await lastAppliedForm(manager, 'profile', itemName)) === form) continue;
    const existing = await manager.findOne(ModelProfileEntity, { where: { apiKeyId, name: profile.name } });
    if (existing === null) await manager.insert(ModelProfileEntity, { apiKeyId, name: profile.name, rules });
    else if (!sameJson(existing.rules.map(normalizeRule), rules)) await manager.update(ModelProfileEntity, { id: existing.id }, { rules });
    else {
      await recordApplied(manager, 'profile', itemName, form);
      continue;
    }
    await recordApplied(manager, 'profile', itemName, form);
    changed = true;
  }
  const applied = await manager
    .createQueryBuilder(BootstrapItemEntity, 'item')
    .where('item.kind = :kind AND item.name LIKE :prefix', { kind: 'profile', prefix: `${escapeLike(keyName)}/%` })
    .getMany();
  const key = await manager.findOneOrFail(ApiKeyEntity, { where: { id: apiKeyId } });
  for (const item of applied.filter((row) => !listed.has(row.name))) {
    const profileName = item.name.slice(keyName.length + 1);
    await manager.delete(BootstrapItemEntity, { kind: 'profile', name: item.name });
    if (profileName === key.activeProfile) continue;
    const deleted = await manager.delete(ModelProfileEntity, { apiKeyId, name: profileName });
    if ((deleted.affected ?? 0) > 0) changed = true;
  }
  return changed;
}

async function lastAppliedForm(manager: EntityManager, kind: string, name: string): Promise<string | undefined> {
  return (await manager.findOne(BootstrapItemEntity, { where: { kind, name } }))?.formHash;
}

async function recordApplied(manager: EntityManager, kind: string, name: string, form: string): Promise<void> {
  await manager.upsert(BootstrapItemEntity, { kind, name, formHash: form }, ['kind', 'name']);
}

function formHash(form: unknown): string {
  return createHash('sha256').update(JSON.stringify(form)).digest('hex');
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** Keeps only `from` and `to` in that order; jsonb reorders object keys, so compare normalised copies. */
function normalizeRule(rule: ModelRule): ModelRule {
  return { from: rule.from, to: rule.to };
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
