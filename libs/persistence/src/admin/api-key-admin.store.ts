import type { AdminActor, ApiKeyLimits, ApiKeyRef, ApiKeyView, CreateApiKeyCommand, CreatedSecret } from '@gw/contracts';
import { hashApiKey } from '../api-key-hash';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { conflict, invalid, isUniqueViolation, requireName } from './admin-failure';
import { API_KEY_SECRET_PREFIX, newSecret, shownPrefix } from './admin-secrets';
import { apiKeyInScope, toApiKeyView } from './api-key-views';
import { recordAudit } from './audit.store';
import { inTransaction, managerOf, type StoreDb } from './store-db';
import { projectForWrite } from './project.store';

const LIMIT_FIELDS = ['requests_per_minute', 'tokens_per_minute', 'monthly_token_quota'] as const;

/** API keys as the admin API manages them (the auth service's side; the data plane uses ApiKeyStore). */
export class ApiKeyAdminStore {
  constructor(private readonly db: StoreDb) {}

  async list(actor: AdminActor): Promise<ApiKeyView[]> {
    const keys = await managerOf(this.db)
      .getRepository(ApiKeyEntity)
      .find({
        where: actor.project_id === null ? {} : { projectId: actor.project_id },
        relations: { project: true },
        order: { createdAt: 'ASC', name: 'ASC' },
      });
    return keys.map(toApiKeyView);
  }

  get(ref: ApiKeyRef): Promise<ApiKeyView> {
    return inTransaction(this.db, async (manager) => toApiKeyView(await apiKeyInScope(manager, ref.actor, ref.id)));
  }

  /**
   * The secret is generated here and returned this once; only its hash and a short prefix are stored.
   * `chosenSecret` is for bootstrap only (`config.yml` names the key's secret); the bus never passes it.
   */
  async create(command: CreateApiKeyCommand, chosenSecret?: string): Promise<CreatedSecret<ApiKeyView>> {
    const name = requireName(command.name, 'name');
    const expiresAt = parseExpiry(command.expires_at);
    const allowedModels = parseAllowedModels(command.allowed_models);
    const limits = parseLimits(command.limits);
    const secret = chosenSecret ?? newSecret(API_KEY_SECRET_PREFIX);
    const { lookup, hash } = await hashApiKey(secret);
    try {
      const item = await inTransaction(this.db, async (manager) => {
        const project = await projectForWrite(manager, command.actor, command.project);
        const saved = await manager.save(ApiKeyEntity, {
          projectId: project.id,
          name,
          keyLookup: lookup,
          keyHash: hash,
          prefix: shownPrefix(secret),
          activeProfile: null,
          revokedAt: null,
          expiresAt,
          allowedModels,
          limits,
        });
        const view = toApiKeyView(await apiKeyInScope(manager, command.actor, saved.id));
        await recordAudit(manager, command.actor, {
          action: 'api_key.create',
          resourceType: 'api_key',
          resourceId: view.id,
          projectId: project.id,
          before: null,
          after: view,
        });
        return view;
      });
      return { item, secret };
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`An API key named "${name}" already exists in this project`);
      throw error;
    }
  }

  /**
   * Idempotent. Returns the key's lookup so the caller publishes `auth.api-key.changed`: caches drop the key
   * at once instead of at their TTL.
   */
  revoke(ref: ApiKeyRef): Promise<{ view: ApiKeyView; lookup: string }> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, ref.actor, ref.id);
      const before = toApiKeyView(apiKey);
      if (apiKey.revokedAt === null) {
        apiKey.revokedAt = new Date();
        await manager.update(ApiKeyEntity, { id: apiKey.id }, { revokedAt: apiKey.revokedAt });
        await recordAudit(manager, ref.actor, {
          action: 'api_key.revoke',
          resourceType: 'api_key',
          resourceId: apiKey.id,
          projectId: apiKey.projectId,
          before,
          after: toApiKeyView(apiKey),
        });
      }
      return { view: toApiKeyView(apiKey), lookup: apiKey.keyLookup };
    });
  }

  /**
   * Gives the key a new secret (bootstrap, when `config.yml` changes a key's secret); its id, profiles and
   * revocation stay. Returns the old lookup, for `auth.api-key.changed`.
   */
  replaceSecret(ref: ApiKeyRef, secret: string): Promise<{ view: ApiKeyView; lookup: string }> {
    return inTransaction(this.db, async (manager) => {
      const apiKey = await apiKeyInScope(manager, ref.actor, ref.id);
      const before = toApiKeyView(apiKey);
      const { lookup, hash } = await hashApiKey(secret);
      const oldLookup = apiKey.keyLookup;
      Object.assign(apiKey, { keyLookup: lookup, keyHash: hash, prefix: shownPrefix(secret) });
      await manager.update(ApiKeyEntity, { id: apiKey.id }, { keyLookup: lookup, keyHash: hash, prefix: apiKey.prefix });
      const after = toApiKeyView(apiKey);
      await recordAudit(manager, ref.actor, {
        action: 'api_key.replace_secret',
        resourceType: 'api_key',
        resourceId: apiKey.id,
        projectId: apiKey.projectId,
        before,
        after,
      });
      return { view: after, lookup: oldLookup };
    });
  }
}

function parseExpiry(value: unknown): Date | null {
  if (value === undefined || value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    throw invalid('expires_at must be an ISO 8601 date-time', { field: 'expires_at' });
  if (date.getTime() <= Date.now()) throw invalid('expires_at must be in the future', { field: 'expires_at' });
  return date;
}

function parseAllowedModels(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((model) => typeof model === 'string' && model.trim() !== '')) {
    throw invalid('allowed_models must be a list of model names', { field: 'allowed_models' });
  }
  return [...new Set(value as string[])];
}

function parseLimits(value: unknown): ApiKeyLimits | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('limits must be an object', { field: 'limits' });
  const limits: ApiKeyLimits = {};
  for (const [field, amount] of Object.entries(value as Record<string, unknown>)) {
    if (!(LIMIT_FIELDS as readonly string[]).includes(field)) {
      throw invalid(`limits.${field} is not one of ${LIMIT_FIELDS.join(', ')}`, { field: `limits.${field}` });
    }
    if (!Number.isSafeInteger(amount) || (amount as number) < 1) {
      throw invalid(`limits.${field} must be a positive whole number`, { field: `limits.${field}` });
    }
    limits[field as (typeof LIMIT_FIELDS)[number]] = amount as number;
  }
  return limits;
}
