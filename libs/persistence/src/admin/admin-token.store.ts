import { createHash, timingSafeEqual } from 'node:crypto';
import { IsNull } from 'typeorm';
import type { DataSource } from 'typeorm';
import {
  ADMIN_ROLES,
  type AdminActor,
  type AdminRole,
  type AdminTokenView,
  type CreateAdminTokenCommand,
  type CreatedSecret,
} from '@gw/contracts';
import { AdvisoryLockKeys } from '../advisory-locks';
import { apiKeyLookup, hashApiKey, verifyApiKeyHash } from '../api-key-hash';
import { AdminTokenEntity } from '../entities/admin-token.entity';
import { ProjectEntity } from '../entities/project.entity';
import { forbidden, invalid, requireName } from './admin-failure';
import { ADMIN_TOKEN_SECRET_PREFIX, newSecret, shownPrefix } from './admin-secrets';
import { recordAudit } from './audit.store';
import { projectForWrite } from './project.store';

/** The configured `admin.bootstrap_token` acts as this owner; it is never stored. */
export const BOOTSTRAP_TOKEN_ACTOR: AdminActor = {
  token_id: 'bootstrap',
  token_name: 'admin.bootstrap_token',
  role: 'owner',
  project_id: null,
};
export const FIRST_OWNER_TOKEN_NAME = 'first-owner';

/** Rank of each role: a token may only create tokens of its own rank or below. */
const RANK: Record<AdminRole, number> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

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
      if (await verifyApiKeyHash(token, candidate.tokenHash)) {
        return { token_id: candidate.id, token_name: candidate.name, role: candidate.role, project_id: candidate.projectId };
      }
    }
    return null;
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
    if (!(ADMIN_ROLES as readonly unknown[]).includes(command.role))
      throw invalid(`role must be one of ${ADMIN_ROLES.join(', ')}`, { field: 'role' });
    if (RANK[command.role] > RANK[actor.role]) throw forbidden(`A ${actor.role} token cannot create a ${command.role} token`);
    const secret = newSecret(ADMIN_TOKEN_SECRET_PREFIX);
    const { lookup, hash } = await hashApiKey(secret);
    const item = await this.dataSource.transaction(async (manager) => {
      // A scoped caller's tokens stay in its project; a gateway-wide caller chooses (none: gateway-wide).
      const project =
        command.project === undefined && actor.project_id === null ? null : await projectForWrite(manager, actor, command.project);
      const saved = await manager.save(AdminTokenEntity, {
        name,
        role: command.role,
        projectId: project?.id ?? null,
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
    state: token.revokedAt === null ? 'active' : 'revoked',
    created_at: token.createdAt.toISOString(),
  };
}

/** Compares digests, so neither the length nor the content of the configured token leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
