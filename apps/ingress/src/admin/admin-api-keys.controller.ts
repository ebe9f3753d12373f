import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type ApiKeyView, type CreatedSecret, type DryRunView } from '@gw/contracts';
import { ApiKeyResolver } from '../auth/api-key-resolver';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/**
 * API keys. Writes that the data plane must see at once also update this ingress's own caches before
 * answering: the owning service's change events reach every ingress, but over NATS they may land after the
 * reply, and the caller's next request may come to this very replica.
 */
@Controller('admin/v1/api-keys')
@UseFilters(AdminExceptionFilter)
export class AdminApiKeysController {
  constructor(
    private readonly admin: AdminBus,
    private readonly apiKeys: ApiKeyResolver,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ items: ApiKeyView[] }> {
    const actor = await this.admin.authorize(request, 'read');
    return { items: await this.admin.call<ApiKeyView[]>(AdminSubjects.listApiKeys, { actor }) };
  }

  /** The answer is the only place the secret ever appears (`key`); lists show its `prefix`. */
  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ApiKeyView & { key: string }> {
    const actor = await this.admin.authorize(request, 'keys:write');
    const { name, project, expires_at, allowed_models, limits } = bodyObject(body);
    const created = await this.admin.call<CreatedSecret<ApiKeyView>>(AdminSubjects.createApiKey, {
      actor,
      name,
      project,
      expires_at,
      allowed_models,
      limits,
    });
    return { ...created.item, key: created.secret };
  }

  @Get(':id')
  async get(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ApiKeyView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getApiKey, { actor, id });
  }

  /** Revokes (the row stays, for the audit and request logs). The very next request with the key is a 401. */
  @Delete(':id')
  async revoke(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ApiKeyView> {
    const actor = await this.admin.authorize(request, 'keys:write');
    const view = await this.admin.call<ApiKeyView>(AdminSubjects.revokeApiKey, { actor, id });
    await this.apiKeys.evictAll();
    return view;
  }

  @Put(':id/active-profile')
  async setActiveProfile(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<ApiKeyView> {
    const actor = await this.admin.authorize(request, 'keys:write');
    const view = await this.admin.call<ApiKeyView>(AdminSubjects.setActiveProfile, { actor, id, profile: bodyObject(body).profile });
    await this.apiKeys.evictAll();
    await this.routing.refresh();
    return view;
  }

  /** Read-only: what a request for `model` with this key would be mapped to, and which channel serves it. */
  @Post(':id/dry-run')
  @HttpCode(200)
  async dryRun(@Req() request: FastifyRequest, @Param('id') id: string, @Body() body: unknown): Promise<DryRunView> {
    const actor = await this.admin.authorize(request, 'read');
    const { model, profile } = bodyObject(body);
    return this.admin.call(AdminSubjects.dryRun, { actor, id, model, profile });
  }
}
