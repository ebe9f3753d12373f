import type { EntityManager, Repository, DataSource } from 'typeorm';
import type { AdminActor, AuditEntryView, Page } from '@gw/contracts';
import { AuditEntryEntity } from '../entities/audit-entry.entity';
import { invalid } from './admin-failure';

export interface AuditChange {
  action: string;
  resourceType: string;
  resourceId: string | null;
  projectId: string | null;
  /** Views of the resource; they never hold a secret (only prefixes and hashes are in views). */
  before: object | null;
  after: object | null;
}

/** Written in the transaction of the change it records: no change without its entry, no entry without its change. */
export async function recordAudit(manager: EntityManager, actor: AdminActor, change: AuditChange): Promise<void> {
  await manager.insert(AuditEntryEntity, {
    actorTokenId: actor.token_id,
    actorName: actor.token_name,
    action: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    projectId: change.projectId,
    // jsonb columns: TypeORM's partial-entity type cannot express "any JSON object".
    before: change.before as never,
    after: change.after as never,
  });
}

export const MAX_AUDIT_PAGE = 200;

/** Newest first; a token scoped to a project sees that project's entries only. */
export class AuditStore {
  private readonly entries: Repository<AuditEntryEntity>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(AuditEntryEntity);
  }

  async list(actor: AdminActor, limit: number, before?: string): Promise<Page<AuditEntryView>> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE)
      throw invalid(`limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}`);
    if (before !== undefined && !/^[1-9][0-9]{0,18}$/.test(before)) throw invalid('cursor must be the next_cursor of a previous page');
    const query = this.entries
      .createQueryBuilder('entry')
      .orderBy('entry.id', 'DESC')
      .limit(limit + 1);
    if (actor.project_id !== null) query.andWhere('entry.projectId = :projectId', { projectId: actor.project_id });
    if (before !== undefined) query.andWhere('entry.id < :before', { before });
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    return { items: page.map(toAuditView), next_cursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
  }
}

function toAuditView(entry: AuditEntryEntity): AuditEntryView {
  return {
    id: String(entry.id),
    at: entry.at.toISOString(),
    actor: { token_id: entry.actorTokenId, token_name: entry.actorName },
    action: entry.action,
    resource: { type: entry.resourceType, id: entry.resourceId },
    project: entry.projectId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}
