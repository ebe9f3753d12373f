import type { DataSource, EntityManager } from 'typeorm';
import type { AdminActor, CreateProjectCommand, ProjectRef, ProjectView, UpdateProjectCommand } from '@gw/contracts';
import { ProjectEntity } from '../entities/project.entity';
import { conflict, forbidden, invalid, isUniqueViolation, isUuid, notFound, requireName } from './admin-failure';
import { recordAudit } from './audit.store';
import { inTransaction, managerOf, type StoreDb } from './store-db';

/**
 * The project of bootstrap's keys, and of keys and tokens a gateway-wide caller creates without naming one.
 * Bootstrap creates it; an admin may create any other.
 */
export const DEFAULT_PROJECT_NAME = 'default';

/** Projects: the tenant boundary of keys, admin tokens and users' roles. */
export class ProjectStore {
  constructor(private readonly db: StoreDb) {}

  async list(actor: AdminActor): Promise<ProjectView[]> {
    const projects = await managerOf(this.db)
      .getRepository(ProjectEntity)
      .find({
        where: actor.project_id === null ? {} : { id: actor.project_id },
        order: { name: 'ASC' },
      });
    return projects.map(toProjectView);
  }

  /** By id or by name; a project outside the caller's scope is a 404 like one that does not exist. */
  async get(ref: ProjectRef): Promise<ProjectView> {
    const repository = managerOf(this.db).getRepository(ProjectEntity);
    const project = isUuid(ref.id)
      ? await repository.findOne({ where: { id: ref.id } })
      : typeof ref.id === 'string'
        ? await repository.findOne({ where: { name: ref.id } })
        : null;
    if (project === null || (ref.actor.project_id !== null && project.id !== ref.actor.project_id))
      throw notFound(`Project ${String(ref.id)} not found`);
    return toProjectView(project);
  }

  async create(command: CreateProjectCommand): Promise<ProjectView> {
    // A project-scoped token administers its project; making others is for gateway-wide tokens.
    if (command.actor.project_id !== null) throw forbidden('A token scoped to one project cannot create projects');
    const name = requireName(command.name, 'name');
    try {
      return await inTransaction(this.db, async (manager) => {
        const view = toProjectView(await manager.save(ProjectEntity, { name }));
        await recordAudit(manager, command.actor, {
          action: 'project.create',
          resourceType: 'project',
          resourceId: view.id,
          projectId: view.id,
          before: null,
          after: view,
        });
        return view;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A project named "${name}" already exists`);
      throw error;
    }
  }
}

/**
 * Changes a project's settings (today `capture_bodies`: true, false or null), audited in the same
 * transaction. Any token that may write projects, within its scope. A separate function rather than a
 * method: it is the one project write outside the list/create the store was made for.
 */
export async function updateProject(dataSource: DataSource, command: UpdateProjectCommand): Promise<ProjectView> {
  const name = requireName(command.project, 'project');
  const capture = command.capture_bodies;
  if (capture === undefined) throw invalid('Nothing to change: send {"capture_bodies": true | false | null}', { field: 'capture_bodies' });
  if (capture !== null && typeof capture !== 'boolean') {
    throw invalid('capture_bodies must be true, false or null (null: follow server.trace.capture.enabled)', { field: 'capture_bodies' });
  }
  return dataSource.transaction(async (manager) => {
    const project = await manager.findOne(ProjectEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
    if (project === null || (command.actor.project_id !== null && project.id !== command.actor.project_id)) {
      throw notFound(`Project "${name}" not found`);
    }
    const before = toProjectView(project);
    project.captureBodies = capture;
    await manager.update(ProjectEntity, { id: project.id }, { captureBodies: capture });
    const after = toProjectView(project);
    await recordAudit(manager, command.actor, {
      action: 'project.update',
      resourceType: 'project',
      resourceId: project.id,
      projectId: project.id,
      before,
      after,
    });
    return after;
  });
}

/**
 * The project a write goes to: the named one, else the caller's own, else `default` (400 when there is none). A project outside the
 * caller's scope is "not found", exactly like one that does not exist: existence is not leaked.
 */
export async function projectForWrite(manager: EntityManager, actor: AdminActor, name: unknown): Promise<ProjectEntity> {
  if (name === undefined || name === null) {
    const own =
      actor.project_id === null
        ? await manager.findOne(ProjectEntity, { where: { name: DEFAULT_PROJECT_NAME } })
        : await manager.findOne(ProjectEntity, { where: { id: actor.project_id } });
    if (own === null) throw invalid(`Name a project: there is no "${DEFAULT_PROJECT_NAME}" project`, { field: 'project' });
    return own;
  }
  const wanted = requireName(name, 'project');
  const project = await manager.findOne(ProjectEntity, { where: { name: wanted } });
  if (project === null || (actor.project_id !== null && project.id !== actor.project_id)) throw notFound(`Project "${wanted}" not found`);
  return project;
}

export function toProjectView(project: ProjectEntity): ProjectView {
  return { id: project.id, name: project.name, capture_bodies: project.captureBodies ?? null, created_at: project.createdAt.toISOString() };
}
