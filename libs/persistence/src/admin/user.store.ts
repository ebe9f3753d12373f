import type { DataSource, EntityManager } from 'typeorm';
import { In, IsNull, Not } from 'typeorm';
import type {
  AdminActor,
  CreateUserCommand,
  RemoveUserRoleCommand,
  SetPasswordCommand,
  SetUserRoleCommand,
  UserRef,
  UserView,
} from '@gw/contracts';
import { hashApiKey } from '../api-key-hash';
import { AdminTokenEntity } from '../entities/admin-token.entity';
import { ProjectEntity } from '../entities/project.entity';
import { UserEntity } from '../entities/user.entity';
import { UserMembershipEntity } from '../entities/user-membership.entity';
import { conflict, forbidden, isUniqueViolation, isUuid, notFound, requireName } from './admin-failure';
import { recordAudit } from './audit.store';
import { assertOwnerRemains } from './owner-guard';
import { ROLE_RANK, assertMayGrant, mayManageUser, requirePassword, requireRole, requireUserName } from './user-rules';

interface LoadedUser {
  user: UserEntity;
  memberships: UserMembershipEntity[];
}

/**
 * Users and their roles per project (the auth service's side). A project-scoped caller sees only users with a
 * role in its project, sees only that role, and changes only that role; anything else is a 404. Passwords are
 * stored as salted scrypt hashes (the API keys' scheme) and appear in no view, audit entry or log.
 */
export class UserStore {
  constructor(
    private readonly dataSource: DataSource,
    /** With `admin.bootstrap_token` configured the gateway can always be opened: no last-owner guard. */
    private readonly bootstrapTokenConfigured: boolean,
  ) {}

  async list(actor: AdminActor): Promise<UserView[]> {
    const manager = this.dataSource.manager;
    const users = await manager.find(UserEntity, { where: { deletedAt: IsNull() }, order: { name: 'ASC' } });
    const memberships =
      users.length === 0 ? [] : await manager.find(UserMembershipEntity, { where: { userId: In(users.map((u) => u.id)) } });
    const names = await projectNames(manager);
    return users
      .map((user) => ({ user, memberships: memberships.filter((membership) => membership.userId === user.id) }))
      .filter((loaded) => visibleTo(actor, loaded))
      .map((loaded) => toUserView(loaded, actor, names));
  }

  get(ref: UserRef): Promise<UserView> {
    return this.dataSource.transaction(async (manager) =>
      toUserView(await userInScope(manager, ref.actor, ref.id), ref.actor, await projectNames(manager)),
    );
  }

  async create(command: CreateUserCommand): Promise<UserView> {
    const { actor } = command;
    const name = requireUserName(command.name);
    const password = requirePassword(command.password);
    const role = requireRole(command.role);
    assertMayGrant(actor, role);
    const { hash } = await hashApiKey(password);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const projectId = await membershipProject(manager, actor, command.project, true);
        const user = await manager.save(UserEntity, { name, passwordHash: hash, deletedAt: null });
        const membership = await manager.save(UserMembershipEntity, { userId: user.id, projectId, role });
        const view = toUserView({ user, memberships: [membership] }, actor, await projectNames(manager));
        await recordAudit(manager, actor, {
          action: 'user.create',
          resourceType: 'user',
          resourceId: user.id,
          projectId,
          before: null,
          after: view,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A user named "${name}" already exists`);
      throw error;
    }
  }

  /** Soft delete: the row stays for the audit log, its roles go, and its sessions are revoked at once. */
  delete(ref: UserRef): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const loaded = await userInScope(manager, ref.actor, ref.id);
      assertMayManage(ref.actor, loaded);
      const before = toUserView(loaded, ref.actor, await projectNames(manager));
      await manager.update(UserEntity, { id: loaded.user.id }, { deletedAt: new Date() });
      await manager.delete(UserMembershipEntity, { userId: loaded.user.id });
      await revokeSessions(manager, loaded.user.id);
      if (loaded.memberships.some(isGatewayOwner)) await assertOwnerRemains(manager, this.bootstrapTokenConfigured);
      await recordAudit(manager, ref.actor, {
        action: 'user.delete',
        resourceType: 'user',
        resourceId: loaded.user.id,
        projectId: auditProject(ref.actor, loaded.memberships),
        before,
        after: null,
      });
    });
  }

  /** Sets or replaces the user's role in one project (or gateway-wide); never above the caller's, nor over a higher role. */
  setRole(command: SetUserRoleCommand): Promise<UserView> {
    const role = requireRole(command.role);
    assertMayGrant(command.actor, role);
    return this.dataSource.transaction(async (manager) => {
      const loaded = await userInScope(manager, command.actor, command.id);
      const projectId = await membershipProject(manager, command.actor, command.project, false);
      const names = await projectNames(manager);
      const before = toUserView(loaded, command.actor, names);
      const existing = loaded.memberships.find((membership) => membership.projectId === projectId);
      if (existing !== undefined && ROLE_RANK[existing.role] > ROLE_RANK[command.actor.role])
        throw forbidden(`A ${command.actor.role} cannot change a ${existing.role} role`);
      if (existing?.role === role) return before;
      const saved = await manager.save(UserMembershipEntity, { ...(existing ?? { userId: loaded.user.id, projectId }), role });
      const memberships = [...loaded.memberships.filter((membership) => membership.projectId !== projectId), saved];
      if (existing !== undefined && isGatewayOwner(existing)) await assertOwnerRemains(manager, this.bootstrapTokenConfigured);
      const after = toUserView({ user: loaded.user, memberships }, command.actor, names);
      await recordAudit(manager, command.actor, {
        action: 'user.set_role',
        resourceType: 'user',
        resourceId: loaded.user.id,
        projectId,
        before,
        after,
      });
      return after;
    });
  }

  removeRole(command: RemoveUserRoleCommand): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const loaded = await userInScope(manager, command.actor, command.id);
      const projectId = await membershipProject(manager, command.actor, command.project, false);
      const existing = loaded.memberships.find((membership) => membership.projectId === projectId);
      if (existing === undefined)
        throw notFound(`The user has no role in ${command.project === null ? 'the gateway as a whole' : `project "${command.project}"`}`);
      if (ROLE_RANK[existing.role] > ROLE_RANK[command.actor.role])
        throw forbidden(`A ${command.actor.role} cannot remove a ${existing.role} role`);
      const names = await projectNames(manager);
      const before = toUserView(loaded, command.actor, names);
      await manager.delete(UserMembershipEntity, { id: existing.id });
      if (isGatewayOwner(existing)) await assertOwnerRemains(manager, this.bootstrapTokenConfigured);
      const after = toUserView({ user: loaded.user, memberships: loaded.memberships.filter((m) => m !== existing) }, command.actor, names);
      await recordAudit(manager, command.actor, {
        action: 'user.remove_role',
        resourceType: 'user',
        resourceId: loaded.user.id,
        projectId,
        before,
        after,
      });
    });
  }

  /**
   * The user itself, or a caller allowed to manage the whole user (ingress checks `users:manage` for the
   * latter). The user's other sessions are revoked: a changed password is how one throws out an intruder.
   */
  setPassword(command: SetPasswordCommand): Promise<void> {
    const password = requirePassword(command.password);
    return this.dataSource.transaction(async (manager) => {
      const loaded = await userInScope(manager, command.actor, command.id);
      const self = command.actor.user_id === loaded.user.id;
      if (!self) assertMayManage(command.actor, loaded);
      const { hash } = await hashApiKey(password);
      await manager.update(UserEntity, { id: loaded.user.id }, { passwordHash: hash });
      await revokeSessions(manager, loaded.user.id, self ? command.actor.token_id : undefined);
      const view = toUserView(loaded, command.actor, await projectNames(manager));
      // The views hold no password; the entry says that it changed and who changed it.
      await recordAudit(manager, command.actor, {
        action: 'user.set_password',
        resourceType: 'user',
        resourceId: loaded.user.id,
        projectId: auditProject(command.actor, loaded.memberships),
        before: view,
        after: view,
      });
    });
  }
}

/** The user if the caller may see it (a role in the caller's project, or any for a gateway-wide caller); 404 otherwise. */
async function userInScope(manager: EntityManager, actor: AdminActor, id: unknown): Promise<LoadedUser> {
  const user = isUuid(id) ? await manager.findOne(UserEntity, { where: { id, deletedAt: IsNull() } }) : null;
  const loaded = user === null ? null : { user, memberships: await manager.find(UserMembershipEntity, { where: { userId: user.id } }) };
  if (loaded === null || !visibleTo(actor, loaded)) throw notFound(`User ${String(id)} not found`);
  return loaded;
}

/** A gateway-wide owner role: one of the ways in as owner that must not all go (owner-guard.ts). */
function isGatewayOwner(membership: UserMembershipEntity): boolean {
  return membership.projectId === null && membership.role === 'owner';
}

function visibleTo(actor: AdminActor, loaded: LoadedUser): boolean {
  return actor.project_id === null || loaded.memberships.some((membership) => membership.projectId === actor.project_id);
}

function assertMayManage(actor: AdminActor, loaded: LoadedUser): void {
  if (!mayManageUser(actor, loaded.memberships)) {
    throw forbidden('The user has a role above yours or outside your project; change your project’s role of it instead');
  }
}

/**
 * The project id a role goes to. `null` is the gateway-wide role, which a project-scoped caller can neither
 * see nor grant; a project outside the caller's scope is not found, like one that does not exist.
 */
async function membershipProject(manager: EntityManager, actor: AdminActor, project: unknown, creating: boolean): Promise<string | null> {
  // A new user without a project gets the caller's own scope (gateway-wide for a gateway-wide caller).
  if (creating && project === undefined) return actor.project_id;
  if (project === null || project === undefined) {
    if (actor.project_id !== null) throw forbidden('A project-scoped caller manages roles in its own project only');
    return null;
  }
  const name = requireName(project, 'project');
  const found = await manager.findOne(ProjectEntity, { where: { name } });
  if (found === null || (actor.project_id !== null && found.id !== actor.project_id)) throw notFound(`Project "${name}" not found`);
  return found.id;
}

async function revokeSessions(manager: EntityManager, userId: string, exceptTokenId?: string): Promise<void> {
  await manager.update(
    AdminTokenEntity,
    { userId, revokedAt: IsNull(), ...(exceptTokenId === undefined ? {} : { id: Not(exceptTokenId) }) },
    { revokedAt: new Date() },
  );
}

/** Audit entries of a user change belong to its project when all its roles are in one, else to the gateway. */
function auditProject(actor: AdminActor, memberships: readonly UserMembershipEntity[]): string | null {
  if (actor.project_id !== null) return actor.project_id;
  const projects = new Set(memberships.map((membership) => membership.projectId));
  return projects.size === 1 ? ([...projects][0] ?? null) : null;
}

async function projectNames(manager: EntityManager): Promise<Map<string, string>> {
  return new Map((await manager.find(ProjectEntity)).map((project) => [project.id, project.name]));
}

function toUserView(loaded: LoadedUser, actor: AdminActor, names: Map<string, string>): UserView {
  return {
    id: loaded.user.id,
    name: loaded.user.name,
    roles: loaded.memberships
      .filter((membership) => actor.project_id === null || membership.projectId === actor.project_id)
      .map((membership) => ({
        project: membership.projectId === null ? null : (names.get(membership.projectId) ?? membership.projectId),
        role: membership.role,
      }))
      .sort((left, right) => (left.project ?? '').localeCompare(right.project ?? '')),
    created_at: loaded.user.createdAt.toISOString(),
  };
}
