import { createHash, timingSafeEqual } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { DataSource } from 'typeorm';
import {
  type AdminActor,
  type AdminTokenView,
  type CreateAdminTokenCommand,
  type CreatedSecret,
  type RevokeTokenCommand,
} from '@gw/contracts';
import { AdvisoryLockKeys } from '../advisory-locks';
import { apiKeyLookup, hashApiKey, verifyApiKeyHash } from '../api-key-hash';
import { AdminTokenEntity } from '../entities/admin-token.entity';
import { ProjectEntity } from '../entities/project.entity';
import { UserEntity } from '../entities/user.entity';
import { UserMembershipEntity } from '../entities/user-membership.entity';
import { forbidden, isUuid, notFound, requireName } from './admin-failure';
import { ADMIN_TOKEN_SECRET_PREFIX, newSecret, shownPrefix } from './admin-secrets';
import { recordAudit } from './audit.store';
import { assertOwnerRemains } from './owner-guard';
import { projectForWrite } from './project.store';
import { ROLE_RANK, assertMayGrant, requireRole } from './user-rules';

/** The configured `admin.bootstrap_token` acts as this owner; it is never stored. */
export const BOOTSTRAP_TOKEN_ACTOR: AdminActor = {
  token_id: 'bootstrap',
  token_name: 'admin.bootstrap_token',
  role: 'owner',
  project_id: null,
  user_id: null,
};
export const FIRST_OWNER_TOKEN_NAME = 'first-owner';

/** Admin tokens: hashed like API keys (lookup prefix + salted scrypt), each with a role and an optional project. */
export class AdminTokenStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The actor a bearer token stands for, or null. The configured bootstrap token is compared in constant time. */
  async authenticate(token: string, bootstrapToken: string | undefined): Promise<AdminActor | null> {
    if (bootstrapToken !== undefined && sameSecret(token, bootstrapToken)) return BOOTSTRAP_TOKEN_ACTOR;
    const candidates = await this.dataSource
      .getRepository(AdminTokenEntity)
      .find({ where: { tokenLookup: apiKeyLookup(token), revokedAt: IsNull() } });
    for (const candidate of candidates) {
      if (candidate.expiresAt !== null && candidate.expiresAt.getTime() <= Date.now()) continue;
      if (!(await verifyApiKeyHash(token, candidate.tokenHash))) continue;
      if (candidate.userId === null) {
        return { token_id: candidate.id, token_name: candidate.name, role: candidate.role, project_id: candidate.projectId, user_id: null };
      }
      return this.sessionActor(candidate);
    }
    return null;
  }

  /**
   * A session acts with its user's current role in the session's project, not the role it had at login:
   * deleting the user or removing (or lowering) the role takes effect on the session's next call.
   */
  private async sessionActor(session: AdminTokenEntity): Promise<AdminActor | null> {
    const membership = await this.dataSource
      .getRepository(UserMembershipEntity)
      .createQueryBuilder('membership')
      .innerJoin(UserEntity, 'user', 'user.id = membership.userId AND user.deletedAt IS NULL')
      .where('membership.userId = :userId', { userId: session.userId })
      .andWhere(session.projectId === null ? 'membership.projectId IS NULL' : 'membership.projectId = :projectId', {
        projectId: session.projectId,
      })
      .getOne();
    if (membership === null) return null;
    return {
      token_id: session.id,
      token_name: session.name,
      role: membership.role,
      project_id: session.projectId,
      user_id: session.userId,
    };
  }

  /** A login session for a user's role (in a project or gateway-wide); returns the secret, shown once. */
  async createSession(
    user: UserEntity,
    membership: UserMembershipEntity,
    ttlMs: number,
  ): Promise<{ secret: string; expiresAt: Date; entity: AdminTokenEntity }> {
    const secret = newSecret(ADMIN_TOKEN_SECRET_PREFIX);
    const { lookup, hash } = await hashApiKey(secret);
    const expiresAt = new Date(Date.now() + ttlMs);
    const entity = await this.dataSource.getRepository(AdminTokenEntity).save({
      name: sessionTokenName(user.name),
      role: membership.role,
      projectId: membership.projectId,
      userId: user.id,
      expiresAt,
      prefix: shownPrefix(secret),
      tokenLookup: lookup,
      tokenHash: hash,
      revokedAt: null,
    });
    return { secret, expiresAt, entity };
  }

  /**
   * Revokes one token or session (idempotent). A scoped caller reaches only its project's tokens (404
   * otherwise); nobody revokes a token above its own role; the last owner credential stays (409) unless
   * `admin.bootstrap_token` is configured. Authentication reads the table on every admin call (nothing
   * caches it), so the very next call with the token is a 401, on every replica.
   */
  revoke(command: RevokeTokenCommand, bootstrapTokenConfigured: boolean): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const { actor } = command;
      const token = isUuid(command.id) ? await manager.findOne(AdminTokenEntity, { where: { id: command.id } }) : null;
      if (token === null || (actor.project_id !== null && token.projectId !== actor.project_id))
        throw notFound(`Admin token ${String(command.id)} not found`);
      if (ROLE_RANK[token.role] > ROLE_RANK[actor.role]) throw forbidden(`A ${actor.role} cannot revoke a ${token.role} token`);
      if (token.revokedAt !== null) return;
      const project = token.projectId === null ? null : await manager.findOne(ProjectEntity, { where: { id: token.projectId } });
      const before = toAdminTokenView(token, project?.name ?? token.projectId);
      token.revokedAt = new Date();
      await manager.update(AdminTokenEntity, { id: token.id }, { revokedAt: token.revokedAt });
      if (isOwnerCredential(token)) await assertOwnerRemains(manager, bootstrapTokenConfigured);
      await recordAudit(manager, actor, {
        action: 'admin_token.revoke',
        resourceType: 'admin_token',
        resourceId: token.id,
        projectId: token.projectId,
        before,
        after: toAdminTokenView(token, project?.name ?? token.projectId),
      });
    });
  }

  /**
   * First start without any way in: creates an owner token and returns its secret (for the caller to print
   * once), or null when some admin token already exists. Serialised so replicas starting together create one.
   */
  async createFirstOwnerIfNone(): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLockKeys.firstAdminToken]);
      if ((await manager.count(AdminTokenEntity)) > 0) return null;
      const secret = newSecret(ADMIN_TOKEN_SECRET_PREFIX);
      const { lookup, hash } = await hashApiKey(secret);
      await manager.insert(AdminTokenEntity, {
        name: FIRST_OWNER_TOKEN_NAME,
        role: 'owner',
        projectId: null,
        userId: null,
        expiresAt: null,
        prefix: shownPrefix(secret),
        tokenLookup: lookup,
        tokenHash: hash,
        revokedAt: null,
      });
      return secret;
    });
  }

  async list(actor: AdminActor): Promise<AdminTokenView[]> {
    const [tokens, projects] = await Promise.all([
      this.dataSource.getRepository(AdminTokenEntity).find({
        where: actor.project_id === null ? {} : { projectId: actor.project_id },
        order: { createdAt: 'ASC' },
      }),
      this.dataSource.getRepository(ProjectEntity).find(),
    ]);
    const projectNames = new Map(projects.map((project) => [project.id, project.name]));
    return tokens.map((token) =>
      toAdminTokenView(token, token.projectId === null ? null : (projectNames.get(token.projectId) ?? token.projectId)),
    );
  }

  async create(command: CreateAdminTokenCommand): Promise<CreatedSecret<AdminTokenView>> {
    const { actor } = command;
    const name = requireName(command.name, 'name');
    const role = requireRole(command.role);
    assertMayGrant(actor, role);
    const secret = newSecret(ADMIN_TOKEN_SECRET_PREFIX);
    const { lookup, hash } = await hashApiKey(secret);
    const item = await this.dataSource.transaction(async (manager) => {
      // A scoped caller's tokens stay in its project; a gateway-wide caller chooses (none: gateway-wide).
      const project =
        command.project === undefined && actor.project_id === null ? null : await projectForWrite(manager, actor, command.project);
      const saved = await manager.save(AdminTokenEntity, {
        name,
        role,
        projectId: project?.id ?? null,
        userId: null,
        expiresAt: null,
        prefix: shownPrefix(secret),
        tokenLookup: lookup,
        tokenHash: hash,
        revokedAt: null,
      });
      const view = toAdminTokenView(saved, project?.name ?? null);
      await recordAudit(manager, actor, {
        action: 'admin_token.create',
        resourceType: 'admin_token',
        resourceId: view.id,
        projectId: project?.id ?? null,
        before: null,
        after: view,
      });
      return view;
    });
    return { item, secret };
  }
}

function toAdminTokenView(token: AdminTokenEntity, project: string | null): AdminTokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    project,
    prefix: token.prefix,
    state: tokenState(token),
    expires_at: token.expiresAt?.toISOString() ?? null,
    user_id: token.userId,
    created_at: token.createdAt.toISOString(),
  };
}

/** What counts as a way in as owner (with users holding the gateway-wide owner role): see owner-guard.ts. */
function isOwnerCredential(token: AdminTokenEntity): boolean {
  return token.role === 'owner' && token.projectId === null && token.userId === null;
}

function tokenState(token: AdminTokenEntity): AdminTokenView['state'] {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && token.expiresAt.getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** Sessions are listed with the tokens; the name says whose they are (user names may hold "@"). */
export function sessionTokenName(userName: string): string {
  return `session:${userName}`;
}

/** Compares digests, so neither the length nor the content of the configured token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
