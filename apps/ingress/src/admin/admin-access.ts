import type { AdminActor, AdminRole } from '@gw/contracts';

/**
 * What each role may do (README and ADR 0008 show the same matrix). Project scope is orthogonal: a token
 * scoped to a project does all of this inside that project only, and the services answer 404 for the rest.
 */
export type AdminPermission = 'read' | 'keys:write' | 'projects:write' | 'tokens:manage' | 'users:manage' | 'channels:write';

/** `channels:write` (create, edit, enable/disable, delete, test) is also refused to project-scoped tokens: channels serve every project. */
export const ROLE_PERMISSIONS: Record<AdminRole, readonly AdminPermission[]> = {
  viewer: ['read'],
  developer: ['read', 'keys:write'],
  admin: ['read', 'keys:write', 'projects:write', 'tokens:manage', 'users:manage', 'channels:write'],
  owner: ['read', 'keys:write', 'projects:write', 'tokens:manage', 'users:manage', 'channels:write'],
};

export function isAllowed(actor: AdminActor, permission: AdminPermission): boolean {
  return ROLE_PERMISSIONS[actor.role]?.includes(permission) ?? false;
}
