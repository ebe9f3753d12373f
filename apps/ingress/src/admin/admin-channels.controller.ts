import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, CHANNEL_TEST_BUS_TIMEOUT_MS, type ChannelTestResult, type ChannelView } from '@gw/contracts';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/**
 * Upstream channels, shared by every project: any token reads them; gateway-wide admin and owner tokens
 * change and test them. `{channel}` is the channel's id or its name. Credentials are write-only.
 */
@Controller('admin/v1/channels')
@UseFilters(AdminExceptionFilter)
export class AdminChannelsController {
  constructor(
    private readonly admin: AdminBus,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get()
  async list(@Req() request: FastifyRequest): Promise<{ items: ChannelView[] }> {
    const actor = await this.admin.authorize(request, 'read');
    return { items: await this.admin.call<ChannelView[]>(AdminSubjects.listChannels, { actor }) };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() request: FastifyRequest, @Body() body: unknown): Promise<ChannelView> {
    const actor = await this.admin.authorize(request, 'channels:write');
    return this.thenRefresh(this.admin.call(AdminSubjects.createChannel, { actor, fields: bodyObject(body) }));
  }

  @Get(':channel')
  async get(@Req() request: FastifyRequest, @Param('channel') channel: string): Promise<ChannelView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getChannel, { actor, channel });
  }

  /** Any subset of the create fields; `api_key` replaces the credential, `enabled` enables or disables. */
  @Patch(':channel')
  async update(@Req() request: FastifyRequest, @Param('channel') channel: string, @Body() body: unknown): Promise<ChannelView> {
    const actor = await this.admin.authorize(request, 'channels:write');
    return this.thenRefresh(this.admin.call(AdminSubjects.updateChannel, { actor, channel, fields: bodyObject(body) }));
  }

  @Delete(':channel')
  @HttpCode(204)
  async delete(@Req() request: FastifyRequest, @Param('channel') channel: string): Promise<void> {
    const actor = await this.admin.authorize(request, 'channels:write');
    await this.thenRefresh(this.admin.call(AdminSubjects.deleteChannel, { actor, channel }));
  }

  /** One real upstream call with the channel's credential; no body (or `{}`) tests its first model. */
  @Post(':channel/test')
  @HttpCode(200)
  async test(@Req() request: FastifyRequest, @Param('channel') channel: string, @Body() body: unknown): Promise<ChannelTestResult> {
    const actor = await this.admin.authorize(request, 'channels:write');
    const model = body === undefined || body === null ? undefined : bodyObject(body).model;
    return this.admin.call(AdminSubjects.testChannel, { actor, channel, model }, CHANNEL_TEST_BUS_TIMEOUT_MS);
  }

  /** This replica routes with the change before it answers; the others reload on the change event. */
  private async thenRefresh<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    await this.routing.refresh();
    return result;
  }
}
