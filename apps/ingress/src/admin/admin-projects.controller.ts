import { Body, Controller, Get, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type ProjectView } from '@gw/contracts';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

@Controller('admin/v1/projects')
@UseFilters(AdminExceptionFilter)
export class AdminProjectsController {
  constructor(private readonly admin: AdminBus) {}

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
}
