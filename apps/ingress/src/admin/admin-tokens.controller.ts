import { Body, Controller, Get, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
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
}
