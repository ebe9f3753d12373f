import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type UserView } from '@gw/contracts';
import { isAllowed } from './admin-access';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminHttpError } from './admin-error';
import { AdminExceptionFilter } from './admin-exception.filter';

/** In `DELETE /users/{id}/roles/{project}`, this stands for the gateway-wide role (no project can be named so). */
export const GATEWAY_WIDE_ROLE_PATH = '_gateway';

/** Users and their role per project. Reads are open to every role; changes need `users:manage`. */
@Controller('admin/v1/users')
@UseFilters(AdminExceptionFilter)
export class AdminUsersController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ items: UserView[] }> {
    const actor = await this.admin.authorize(request, 'read');
    return { items: await this.admin.call<UserView[]>(AdminSubjects.listUsers, { actor }) };
  }

  /** The password is hashed by the auth service and never appears in an answer, a log or the audit. */
  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<UserView> {
    const actor = await this.admin.authorize(request, 'users:manage');
    const { name, password, role, project } = bodyObject(body);
    return this.admin.call(AdminSubjects.createUser, { actor, name, password, role, project });
  }

  @Get(':id')
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<UserView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getUser, { actor, id });
  }

  /** Its sessions are revoked in the same transaction: the user's next call is a 401. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    const actor = await this.admin.authorize(request, 'users:manage');
    await this.admin.call(AdminSubjects.deleteUser, { actor, id });
  }

  /** Sets or replaces one role: `{project: <name> | null, role}` (null: gateway-wide). */
  @Put(':id/roles')
  async setRole(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<UserView> {
    const actor = await this.admin.authorize(request, 'users:manage');
    const { project, role } = bodyObject(body);
    if (project === undefined)
      throw new AdminHttpError({
        code: 'invalid_request',
        message: 'project is required (a project name, or null for gateway-wide)',
        details: { field: 'project' },
      });
    return this.admin.call(AdminSubjects.setUserRole, { actor, id, project, role });
  }

  @Delete(':id/roles/:project')
  @HttpCode(204)
  async removeRole(@Req() request: FastifyRequest, @Param('id') id: string, @Param('project') project: string): Promise<void> {
    const actor = await this.admin.authorize(request, 'users:manage');
    await this.admin.call(AdminSubjects.removeUserRole, { actor, id, project: project === GATEWAY_WIDE_ROLE_PATH ? null : project });
  }

  /** The user itself (with its session), or a caller with `users:manage` over every role of the user. */
  @Put(':id/password')
  @HttpCode(204)
  async setPassword(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    const actor = await this.admin.authorize(request, 'read');
    if (actor.user_id !== id && !isAllowed(actor, 'users:manage')) {
      throw new AdminHttpError({
        code: 'forbidden',
        message: `A ${actor.role} may change only its own password (it needs "users:manage").`,
        details: { role: actor.role },
      });
    }
    await this.admin.call(AdminSubjects.setUserPassword, { actor, id, password: bodyObject(body).password });
  }
}
