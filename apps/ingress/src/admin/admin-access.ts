import { roleAllows, type AdminActor, type AdminPermission } from '@gw/contracts';

/** The role matrix lives in @gw/contracts (ROLE_PERMISSIONS), shared with the console. */
export type { AdminPermission } from '@gw/contracts';

export function isAllowed(actor: AdminActor, permission: AdminPermission): boolean {
  return roleAllows(actor.role, permission);
}
