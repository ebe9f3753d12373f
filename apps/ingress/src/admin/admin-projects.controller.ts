import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type ProjectView } from '@gw/contracts';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

@Controller('admin/v1/projects')
@UseFilters(AdminExceptionFilter)
export class AdminProjectsController {
  constructor(
    private readonly admin: AdminBus,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ items: ProjectView[] }> {
    const actor = await this.admin.authorize(request, 'read');
    return { items: await this.admin.call<ProjectView[]>(AdminSubjects.listProjects, { actor }) };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ProjectView> {
    const actor = await this.admin.authorize(request, 'projects:write');
    return this.admin.call(AdminSubjects.createProject, { actor, name: bodyObject(body).name });
  }

  /** By id or name; another project than a scoped caller's own is a 404. */
  @Get(':id')
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ProjectView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getProject, { actor, id });
  }

  /**
   * `{"capture_bodies": true | false | null}`: prompt and response capture for the project's requests (null
   * follows the config). This replica captures accordingly before it answers; the others on the change event.
   */
  @Patch(':project')
  async update(@Req() request: FastifyRequest, @Param('project') project: string, @Body() body: unknown): Promise<ProjectView> {
    const actor = await this.admin.authorize(request, 'projects:write');
    const view = await this.admin.call<ProjectView>(AdminSubjects.updateProject, {
      actor,
      project,
      capture_bodies: bodyObject(body).capture_bodies,
    });
    await this.routing.refresh();
    return view;
  }
}
