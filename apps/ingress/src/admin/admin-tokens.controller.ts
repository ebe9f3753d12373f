import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type AdminTokenView, type CreatedSecret } from '@gw/contracts';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/** Admin tokens: the secret is in the creation answer only. */
@Controller('admin/v1/tokens')
@UseFilters(AdminExceptionFilter)
export class AdminTokensController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ items: AdminTokenView[] }> {
    const actor = await this.admin.authorize(request, 'tokens:manage');
    return { items: await this.admin.call<AdminTokenView[]>(AdminSubjects.listTokens, { actor }) };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<AdminTokenView & { token: string }> {
    const actor = await this.admin.authorize(request, 'tokens:manage');
    const { name, role, project } = bodyObject(body);
    const created = await this.admin.call<CreatedSecret<AdminTokenView>>(AdminSubjects.createToken, { actor, name, role, project });
    return { ...created.item, token: created.secret };
  }

  /**
   * Revokes a token or a login session; the next call with it is a 401 on every replica (ingress caches no
   * admin authentication: each admin call asks the auth service). Not above the caller's role; not the last
   * owner credential (409) unless `admin.bootstrap_token` is configured.
   */
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Req() request: FastifyRequest, @Param('id') id: string): Promise<void> {
    const actor = await this.admin.authorize(request, 'tokens:manage');
    await this.admin.call(AdminSubjects.revokeToken, { actor, id });
  }
}
