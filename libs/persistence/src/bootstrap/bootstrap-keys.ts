import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ModelRule, ProfileView } from '@gw/contracts';
import { verifyApiKeyHash } from '../api-key-hash';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { BootstrapItemEntity } from '../entities/bootstrap-item.entity';
import { AdminFailure } from '../admin/admin-failure';
import { ApiKeyAdminStore } from '../admin/api-key-admin.store';
import { ProfileAdminStore } from '../admin/profile-admin.store';
import { DEFAULT_PROJECT_NAME, ProjectStore } from '../admin/project.store';
import { CONFIG_FILE_ACTOR } from './bootstrap-actor';
import type { BootstrapApiKey, BootstrapProfile } from './bootstrap.types';

export interface KeysOutcome {
  projectCreated: boolean;
  keysChanged: boolean;
  profilesChanged: boolean;
}

/**
 * Applies `bootstrap.api_keys` with the admin API's own commands (ProjectStore, ApiKeyAdminStore,
 * ProfileAdminStore), so a key or profile written by bootstrap is validated, stored and audited exactly as one
 * written through the API. Runs inside bootstrap's transaction: each command is a savepoint of it. The rule
 * of ADR 0008 holds: an item is re-applied only when its form in the file differs from the one last applied.
 */
export async function applyBootstrapKeys(manager: EntityManager, apiKeys: readonly BootstrapApiKey[]): Promise<KeysOutcome> {
  const stores = { projects: new ProjectStore(manager), apiKeys: new ApiKeyAdminStore(manager), profiles: new ProfileAdminStore(manager) };
  const projectCreated = await ensureDefaultProject(stores.projects);
  let keysChanged = false;
  let profilesChanged = false;
  for (const apiKey of apiKeys) {
    const outcome = await applyKey(manager, stores, apiKey);
    keysChanged ||= outcome.keyChanged;
    profilesChanged ||= outcome.profilesChanged;
  }
  return { projectCreated, keysChanged, profilesChanged };
}

interface Stores {
  projects: ProjectStore;
  apiKeys: ApiKeyAdminStore;
  profiles: ProfileAdminStore;
}

async function ensureDefaultProject(projects: ProjectStore): Promise<boolean> {
  const found = await orNotFound(projects.get({ actor: CONFIG_FILE_ACTOR, id: DEFAULT_PROJECT_NAME }));
  if (found !== undefined) return false;
  await projects.create({ actor: CONFIG_FILE_ACTOR, name: DEFAULT_PROJECT_NAME });
  return true;
}

async function applyKey(
  manager: EntityManager,
  stores: Stores,
  apiKey: BootstrapApiKey,
): Promise<{ keyChanged: boolean; profilesChanged: boolean }> {
  const actor = CONFIG_FILE_ACTOR;
  const activeProfile = apiKey.active_profile ?? null;
  const existing = await manager
    .createQueryBuilder(ApiKeyEntity, 'key')
    .innerJoin('key.project', 'project', 'project.name = :project', { project: DEFAULT_PROJECT_NAME })
    .where('key.name = :name', { name: apiKey.name })
    .getOne();
  // The secret enters the form as a digest: the table must not hold anything that opens the key.
  const keyForm = formHash({ secret: createHash('sha256').update(apiKey.key).digest('hex'), active_profile: activeProfile });
  // The file did not change this key since it was last applied: what the admin API did to it stands.
  const applyKeyForm = existing === null || (await lastAppliedForm(manager, 'api_key', apiKey.name)) !== keyForm;
  let keyChanged = false;
  let id: string;
  if (existing === null) {
    id = (await stores.apiKeys.create({ actor, name: apiKey.name, project: DEFAULT_PROJECT_NAME }, apiKey.key)).item.id;
    keyChanged = true;
  } else {
    id = existing.id;
    // Hashes are salted: only a verify tells whether the configured secret is still the stored one.
    if (applyKeyForm && !(await verifyApiKeyHash(apiKey.key, existing.keyHash))) {
      await stores.apiKeys.replaceSecret({ actor, id }, apiKey.key);
      keyChanged = true;
    }
  }
  let profilesChanged = await putListedProfiles(manager, stores.profiles, id, apiKey.name, apiKey.profiles ?? []);
  if (applyKeyForm) {
    const before = existing?.activeProfile ?? null;
    const view = await stores.profiles.setActive({ actor, id, profile: activeProfile });
    if (view.active_profile !== before) keyChanged = true;
  }
  await recordApplied(manager, 'api_key', apiKey.name, keyForm);
  if (await deleteUnlistedProfiles(manager, stores.profiles, id, apiKey.name, apiKey.profiles ?? [])) profilesChanged = true;
  return { keyChanged, profilesChanged };
}

/** Each listed profile is written only when its rules in the file differ from the form last applied (or it was never applied). */
async function putListedProfiles(
  manager: EntityManager,
  profiles: ProfileAdminStore,
  id: string,
  keyName: string,
  listed: readonly BootstrapProfile[],
): Promise<boolean> {
  let changed = false;
  for (const profile of listed) {
    const itemName = `${keyName}/${profile.name}`;
    const rules = profile.rules.map(normalizeRule);
    const form = formHash(rules);
    if ((await lastAppliedForm(manager, 'profile', itemName)) === form) continue;
    const current = await orNotFound<ProfileView>(profiles.get({ actor: CONFIG_FILE_ACTOR, id, profile: profile.name }));
    if (current === undefined || formHash(current.rules.map(normalizeRule)) !== form) {
      await profiles.put({ actor: CONFIG_FILE_ACTOR, id, profile: profile.name, rules, create: current === undefined });
      changed = true;
    }
    await recordApplied(manager, 'profile', itemName, form);
  }
  return changed;
}

/**
 * A profile bootstrap applied before and the file no longer lists is deleted (the file changed that very
 * item), unless it is the key's active profile. Profiles bootstrap never applied (made through the admin
 * API) are left alone. Runs after the active profile is set, so a profile the file both drops and stops
 * using goes.
 */
async function deleteUnlistedProfiles(
  manager: EntityManager,
  profiles: ProfileAdminStore,
  id: string,
  keyName: string,
  listed: readonly BootstrapProfile[],
): Promise<boolean> {
  const names = new Set(listed.map((profile) => `${keyName}/${profile.name}`));
  const applied = await manager
    .createQueryBuilder(BootstrapItemEntity, 'item')
    .where('item.kind = :kind AND item.name LIKE :prefix', { kind: 'profile', prefix: `${escapeLike(keyName)}/%` })
    .getMany();
  let changed = false;
  for (const item of applied.filter((row) => !names.has(row.name))) {
    const profile = item.name.slice(keyName.length + 1);
    await manager.delete(BootstrapItemEntity, { kind: 'profile', name: item.name });
    const current = await orNotFound<ProfileView>(profiles.get({ actor: CONFIG_FILE_ACTOR, id, profile }));
    if (current === undefined || current.active) continue;
    await profiles.delete({ actor: CONFIG_FILE_ACTOR, id, profile });
    changed = true;
  }
  return changed;
}

/** The command's value, or undefined when it answered "not found". */
async function orNotFound<T>(command: Promise<T>): Promise<T | undefined> {
  try {
    return await command;
  } catch (error) {
    if (error instanceof AdminFailure && error.code === 'not_found') return undefined;
    throw error;
  }
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
