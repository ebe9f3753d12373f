import type { EntityManager } from 'typeorm';
import type {
  ApiKeyRef,
  ApiKeyView,
  DryRunCommand,
  DryRunView,
  ProfileRef,
  ProfileView,
  PutProfileCommand,
  SetActiveProfileCommand,
} from '@gw/contracts';
import { findRuleProblem, normalizeRules, RoutingTable } from '@gw/routing-core';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { ModelProfileEntity } from '../entities/model-profile.entity';
import type { SecretCipher } from '../secret-cipher';
import { RoutingStore } from '../stores/routing.store';
import { conflict, invalid, notFound, requireName } from './admin-failure';
import { apiKeyInScope, toApiKeyView } from './api-key-views';
import { recordAudit } from './audit.store';
import { dataSourceOf, inTransaction, managerOf, type StoreDb } from './store-db';

/**
 * A key's model profiles and its active profile (the routing service's side). Every write returns
 * normally only once it is committed; the caller then publishes the change events.
 */
export class ProfileAdminStore {
  constructor(private readonly db: StoreDb) {}

  list(ref: ApiKeyRef): Promise<ProfileView[]> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, ref.actor, ref.id);
      const profiles = await manager.find(ModelProfileEntity, { where: { apiKeyId: apiKey.id }, order: { name: 'ASC' } });
      return profiles.map((profile) => toProfileView(profile, apiKey));
    });
  }

  get(ref: ProfileRef): Promise<ProfileView> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, ref.actor, ref.id);
      return toProfileView(await existingProfile(manager, apiKey, ref.profile), apiKey);
    });
  }

  /** Create (`create`: 409 when it exists) or replace the rules of (404 when missing) one profile. */
  put(command: PutProfileCommand): Promise<ProfileView> {
    const name = requireName(command.profile, 'profile name');
    const problem = findRuleProblem(command.rules);
    if (problem !== undefined)
      throw invalid(problem.message, problem.index === null ? { field: 'rules' } : { field: 'rules', rule: problem.index });
    const rules = normalizeRules(command.rules as { from: string; to: string }[]);
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, command.actor, command.id);
      const existing = await manager.findOne(ModelProfileEntity, { where: { apiKeyId: apiKey.id, name } });
      if (command.create && existing !== null) throw conflict(`Profile "${name}" already exists for this key`);
      if (!command.create && existing === null) throw notFound(`Profile "${name}" not found for this key`);
      const before = existing === null ? null : toProfileView(existing, apiKey);
      const saved = await manager.save(ModelProfileEntity, { ...(existing ?? { apiKeyId: apiKey.id, name }), rules });
      const after = toProfileView(saved, apiKey);
      await recordAudit(manager, command.actor, {
        action: command.create ? 'profile.create' : 'profile.update',
        resourceType: 'profile',
        resourceId: `${apiKey.id}/${name}`,
        projectId: apiKey.projectId,
        before,
        after,
      });
      return after;
    });
  }

  /** The active profile cannot be deleted: switch first, so no key is left pointing at nothing. */
  delete(ref: ProfileRef): Promise<void> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, ref.actor, ref.id);
      const profile = await existingProfile(manager, apiKey, ref.profile);
      if (apiKey.activeProfile === profile.name)
        throw conflict(`Profile "${profile.name}" is the key's active profile; switch to another first`);
      await manager.delete(ModelProfileEntity, { id: profile.id });
      await recordAudit(manager, ref.actor, {
        action: 'profile.delete',
        resourceType: 'profile',
        resourceId: `${apiKey.id}/${profile.name}`,
        projectId: apiKey.projectId,
        before: toProfileView(profile, apiKey),
        after: null,
      });
    });
  }

  /** `profile: null` passes model names through unchanged. */
  setActive(command: SetActiveProfileCommand): Promise<ApiKeyView> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, command.actor, command.id);
      const wanted = command.profile === null ? null : await profileNamed(manager, apiKey, command.profile);
      const before = toApiKeyView(apiKey);
      if (apiKey.activeProfile !== wanted) {
        apiKey.activeProfile = wanted;
        await manager.update(ApiKeyEntity, { id: apiKey.id }, { activeProfile: wanted });
        await recordAudit(manager, command.actor, {
          action: 'api_key.set_active_profile',
          resourceType: 'api_key',
          resourceId: apiKey.id,
          projectId: apiKey.projectId,
          before,
          after: toApiKeyView(apiKey),
        });
      }
      return toApiKeyView(apiKey);
    });
  }

  /** What the data plane would do with this model name for this key, computed the way ingress computes it. */
  async dryRun(command: DryRunCommand, cipher: SecretCipher): Promise<DryRunView> {
    if (typeof command.model !== 'string' || command.model.trim() === '')
      throw invalid('model must be a non-empty string', { field: 'model' });
    const apiKey = await inTransaction(this.db, (manager) => apiKeyInScope(manager, command.actor, command.id));
    const profile =
      command.profile === undefined || command.profile === null
        ? apiKey.activeProfile
        : await profileNamed(managerOf(this.db), apiKey, command.profile);
    const table = new RoutingTable(await new RoutingStore(dataSourceOf(this.db)).loadSnapshot(cipher, 0));
    // The snapshot leaves out revoked keys' profiles; the dry-run still answers what the rules say.
    const rules = await managerOf(this.db)
      .getRepository(ModelProfileEntity)
      .find({ where: { apiKeyId: apiKey.id } });
    const withKey = new RoutingTable({
      ...table.snapshot,
      profiles: { [apiKey.id]: rules.map((row) => ({ name: row.name, rules: row.rules })) },
    });
    const decision = withKey.route(apiKey.id, profile, command.model);
    const mapped = withKey.profileFor(apiKey.id, profile)?.map(command.model) ?? command.model;
    return {
      model: command.model,
      profile,
      mapped_model: decision?.mappedModel ?? mapped,
      channel: decision ? { name: decision.channel.name, type: decision.channel.type } : null,
    };
  }
}

async function existingProfile(manager: EntityManager, apiKey: ApiKeyEntity, name: unknown): Promise<ModelProfileEntity> {
  const profile = typeof name === 'string' ? await manager.findOne(ModelProfileEntity, { where: { apiKeyId: apiKey.id, name } }) : null;
  if (profile === null) throw notFound(`Profile "${String(name)}" not found for this key`);
  return profile;
}

/** A profile named in a request body: a missing one is the body's fault (400), naming the key's profiles. */
async function profileNamed(manager: EntityManager, apiKey: ApiKeyEntity, name: unknown): Promise<string> {
  if (typeof name !== 'string' || name === '') throw invalid('profile must be a profile name or null', { field: 'profile' });
  const profiles = await manager.find(ModelProfileEntity, { where: { apiKeyId: apiKey.id }, order: { name: 'ASC' } });
  if (!profiles.some((profile) => profile.name === name)) {
    const known = profiles.map((profile) => profile.name).join(', ') || 'none';
    throw invalid(`Profile "${name}" is not one of this key's profiles (${known})`, { field: 'profile' });
  }
  return name;
}

function toProfileView(profile: ModelProfileEntity, apiKey: ApiKeyEntity): ProfileView {
  return { name: profile.name, active: apiKey.activeProfile === profile.name, rules: normalizeRules(profile.rules) };
}
