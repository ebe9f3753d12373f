import { IsNull } from 'typeorm';
import type { DataSource } from 'typeorm';
import type { AdminActor, LoginCommand, SessionView } from '@gw/contracts';
import { hashApiKey, verifyApiKeyHash } from '../api-key-hash';
import { AdminTokenEntity } from '../entities/admin-token.entity';
import { ProjectEntity } from '../entities/project.entity';
import { UserEntity } from '../entities/user.entity';
import { UserMembershipEntity } from '../entities/user-membership.entity';
import { AdminFailure, forbidden, invalid } from './admin-failure';
import { AdminTokenStore } from './admin-token.store';
import { defaultMembership } from './user-rules';

const WRONG_CREDENTIALS = 'Wrong name or password.';

/**
 * Login and logout. A session is an admin token (hashed, `ahadm-`) linked to its user with an expiry, so
 * every admin call authenticates the same way whether it carries a token or a session.
 */
export class SessionStore {
  /** Checked against when the name is unknown, so both failures cost one scrypt and look alike. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ttlMs: number,
  ) {
    // Made up front: computing it on the first unknown name would make that answer twice as slow.
    this.decoyHash = hashApiKey(`decoy-${Date.now()}`).then(({ hash }) => hash);
  }

  async login(command: LoginCommand): Promise<SessionView> {
    const name = typeof command?.name === 'string' ? command.name : '';
    const password = typeof command?.password === 'string' ? command.password : '';
    const user = name === '' ? null : await this.dataSource.getRepository(UserEntity).findOne({ where: { name, deletedAt: IsNull() } });
    const verified = await verifyApiKeyHash(password, user?.passwordHash ?? (await this.decoyHash));
    if (user === null || !verified) throw new AdminFailure('unauthorized', WRONG_CREDENTIALS);
    const memberships = await this.dataSource.getRepository(UserMembershipEntity).find({ where: { userId: user.id } });
    const projects = new Map((await this.dataSource.getRepository(ProjectEntity).find()).map((project) => [project.id, project.name]));
    const projectName = (membership: UserMembershipEntity): string | null =>
      membership.projectId === null ? null : (projects.get(membership.projectId) ?? null);
    let membership: UserMembershipEntity | undefined;
    if (command.project !== undefined && command.project !== null) {
      if (typeof command.project !== 'string') throw invalid('project must be a project name', { field: 'project' });
      membership = memberships.find((candidate) => candidate.projectId !== null && projectName(candidate) === command.project);
      if (membership === undefined) throw forbidden(`You have no role in project "${command.project}"`);
    } else {
      if (memberships.length === 0) throw forbidden('You have no role in any project; ask an admin for one');
      membership = defaultMembership(memberships);
      if (membership === undefined) {
        const names = memberships
          .map(projectName)
          .filter((project): project is string => project !== null)
          .sort();
        throw invalid(`You have roles in several projects; name one as "project": ${names.join(', ')}`, { field: 'project' });
      }
    }
    const session = await new AdminTokenStore(this.dataSource).createSession(user, membership, this.ttlMs);
    return { token: session.secret, expires_at: session.expiresAt.toISOString(), role: membership.role, project: projectName(membership) };
  }

  /** Revokes the caller's own session; a plain admin token is revoked with `DELETE /admin/v1/tokens/{id}`. */
  async logout(actor: AdminActor): Promise<void> {
    if (actor.user_id === undefined || actor.user_id === null)
      throw invalid('Only a login session can log out; revoke admin tokens with DELETE /admin/v1/tokens/{id}');
    await this.dataSource.getRepository(AdminTokenEntity).update({ id: actor.token_id, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
