import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type ProfileView } from '@gw/contracts';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/** A key's model profiles and their ordered rules (exact names or anchored regexes). */
@Controller('admin/v1/api-keys/:id/profiles')
@UseFilters(AdminExceptionFilter)
export class AdminProfilesController {
  constructor(
    private readonly admin: AdminBus,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Param('id') id: string): Promise<{ items: ProfileView[] }> {
    const actor = await this.admin.authorize(request, 'read');
    return { items: await this.admin.call<ProfileView[]>(AdminSubjects.listProfiles, { actor, id }) };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<ProfileView> {
    const actor = await this.admin.authorize(request, 'keys:write');
    const { name, rules } = bodyObject(body);
    return this.thenRefresh(this.admin.call(AdminSubjects.putProfile, { actor, id, profile: name, rules, create: true }));
  }

  @Get(':profile')
  async get(@Req() request: FastifyRequest, @Param('id') id: string, @Param('profile') profile: string): Promise<ProfileView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getProfile, { actor, id, profile });
  }

  /** Replaces the profile's rules, in the order given (the first match wins). */
  @Put(':profile')
  async replace(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Param('profile') profile: string,
    @Body() body: unknown,
  ): Promise<ProfileView> {
    const actor = await this.admin.authorize(request, 'keys:write');
    return this.thenRefresh(
      this.admin.call(AdminSubjects.putProfile, { actor, id, profile, rules: bodyObject(body).rules, create: false }),
    );
  }

  @Delete(':profile')
  @HttpCode(204)
  async delete(@Req() request: FastifyRequest, @Param('id') id: string, @Param('profile') profile: string): Promise<void> {
    const actor = await this.admin.authorize(request, 'keys:write');
    await this.thenRefresh(this.admin.call(AdminSubjects.deleteProfile, { actor, id, profile }));
  }

  /** This replica routes with the new rules before it answers; the others reload on the change event. */
  private async thenRefresh<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.routing.refresh();
    return result;
  }
}
