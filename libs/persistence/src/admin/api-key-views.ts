import type { EntityManager } from 'typeorm';
import type { AdminActor, ApiKeyState, ApiKeyView } from '@gw/contracts';
import { ApiKeyEntity } from '../entities/api-key.entity';
import { isUuid, notFound } from './admin-failure';

export function apiKeyState(apiKey: ApiKeyEntity, now = Date.now()): ApiKeyState {
  if (apiKey.revokedAt !== null) return 'revoked';
  if (apiKey.expiresAt !== null && apiKey.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

/** Needs the key loaded with its project. Holds the prefix only: the secret is never stored. */
export function toApiKeyView(apiKey: ApiKeyEntity): ApiKeyView {
  return {
    id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    project: apiKey.project?.name ?? apiKey.projectId,
    active_profile: apiKey.activeProfile,
    state: apiKeyState(apiKey),
    expires_at: apiKey.expiresAt?.toISOString() ?? null,
    allowed_models: apiKey.allowedModels,
    limits: apiKey.limits,
    created_at: apiKey.createdAt.toISOString(),
  };
}

/** The key with its project, if the caller may see it; otherwise 404, whether it exists or not. */
export async function apiKeyInScope(manager: EntityManager, actor: AdminActor, id: unknown): Promise<ApiKeyEntity> {
  const apiKey = isUuid(id) ? await manager.findOne(ApiKeyEntity, { where: { id }, relations: { project: true } }) : null;
  if (apiKey === null || (actor.project_id !== null && apiKey.projectId !== actor.project_id))
    throw notFound(`API key ${String(id)} not found`);
  return apiKey;
}
