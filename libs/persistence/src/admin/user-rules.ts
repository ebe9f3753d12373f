import { ADMIN_ROLES, type AdminActor, type AdminRole } from '@gw/contracts';
import { forbidden, invalid } from './admin-failure';

/** Rank of each role: nobody grants, creates or manages anything above its own rank. */
export const ROLE_RANK: Record<AdminRole, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

export function requireRole(value: unknown, field = 'role'): AdminRole {
  if (!(ADMIN_ROLES as readonly unknown[]).includes(value)) throw invalid(`${field} must be one of ${ADMIN_ROLES.join(', ')}`, { field });
  return value as AdminRole;
}

/** The caller may hand out `role` only at or below its own rank. */
export function assertMayGrant(actor: AdminActor, role: AdminRole): void {
  if (ROLE_RANK[role] > ROLE_RANK[actor.role]) throw forbidden(`A ${actor.role} cannot grant the ${role} role`);
}

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** At least 12 characters (counted as Unicode code points), at most 1024: long passphrases are welcome. */
export function requirePassword(value: unknown): string {
  if (typeof value !== 'string') throw invalid('password must be a string', { field: 'password' });
  const length = [...value].length;
  if (length < MIN_PASSWORD_LENGTH) throw invalid(`password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  if (length > MAX_PASSWORD_LENGTH) throw invalid(`password must have at most ${MAX_PASSWORD_LENGTH} characters`, { field: 'password' });
  return value;
}

/** Login names: e-mail addresses or handles; compared as given (no case folding), no spaces or controls. */
const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

export function requireUserName(value: unknown): string {
  if (typeof value !== 'string' || !USER_NAME.test(value)) {
    throw invalid('name must be 1 to 128 characters of letters, digits, ".", "_", "@", "+" or "-", starting with a letter or digit', {
      field: 'name',
    });
  }
  return value;
}

export interface Membership {
  projectId: string | null;
  role: AdminRole;
}

/**
 * Whether the caller may manage a user as a whole (delete it, set its password): it must see every one of
 * the user's roles and rank at least as high as each. Otherwise a project's admin could take over a
 * gateway-wide owner by resetting its password.
 */
export function mayManageUser(actor: AdminActor, memberships: readonly Membership[]): boolean {
  return memberships.every(
    (membership) =>
      (actor.project_id === null || membership.projectId === actor.project_id) && ROLE_RANK[membership.role] <= ROLE_RANK[actor.role],
  );
}

/** Which of a user's roles a login without a project takes: the gateway-wide one, else the only one. */
export function defaultMembership<T extends Membership>(memberships: readonly T[]): T | undefined {
  return memberships.find((membership) => membership.projectId === null) ?? (memberships.length === 1 ? memberships[0] : undefined);
}
