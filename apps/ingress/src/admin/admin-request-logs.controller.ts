import { Controller, Get, Param, Query, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  AdminSubjects,
  type ConversationView,
  type Page,
  type RequestLogDetailView,
  type RequestLogFilters,
  type RequestLogView,
  type UsageView,
} from '@gw/contracts';
import { AdminBus } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/** The query string of a list call; the trace service validates every value (400 naming the parameter). */
type QueryString = Record<string, unknown>;

const FILTERS: readonly (keyof RequestLogFilters)[] = [
  'project',
  'api_key',
  'model',
  'requested_model',
  'mapped_model',
  'channel',
  'status',
  'conversation',
  'since',
  'until',
];

/**
 * Request logs, answered by the trace service: filtered, newest first, keyset-paginated (`next_cursor`);
 * one request with its captured bodies. Every role may read; a project-scoped token sees its project only.
 */
@Controller('admin/v1/request-logs')
@UseFilters(AdminExceptionFilter)
export class AdminRequestLogsController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: QueryString): Promise<Page<RequestLogView>> {
    const actor = await this.admin.authorize(request, 'read');
    const filters: RequestLogFilters = {};
    for (const name of FILTERS) if (query[name] !== undefined) filters[name] = query[name];
    return this.admin.call(AdminSubjects.listRequestLogs, { actor, filters, limit: query.limit, cursor: query.cursor });
  }

  @Get(':request_id')
  async get(@Req() request: FastifyRequest, @Param('request_id') requestId: string): Promise<RequestLogDetailView> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.getRequestLog, { actor, request_id: requestId });
  }
}

/** Conversations (requests grouped by conversation key) and one conversation's requests in turn order. */
@Controller('admin/v1/conversations')
@UseFilters(AdminExceptionFilter)
export class AdminConversationsController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Query() query: QueryString): Promise<Page<ConversationView>> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.listConversations, {
      actor,
      project: query.project,
      since: query.since,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  @Get(':conversation_key/requests')
  async requests(
    @Req() request: FastifyRequest,
    @Param('conversation_key') conversationKey: string,
    @Query() query: QueryString,
  ): Promise<Page<RequestLogView>> {
    const actor = await this.admin.authorize(request, 'read');
    return this.admin.call(AdminSubjects.listConversationRequests, {
      actor,
      conversation_key: conversationKey,
      limit: query.limit,
      cursor: query.cursor,
    });
  }
}

/** Requests, errors, tokens and mean latency over time by model or channel (the console's usage charts). */
@Controller('admin/v1/usage')
@UseFilters(AdminExceptionFilter)
export class AdminUsageController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async usage(@Req() request: FastifyRequest, @Query() query: QueryString): Promise<UsageView> {
    const actor = await this.admin.authorize(request, 'read');
    const { project, since, until, bucket_seconds, group_by } = query;
    return this.admin.call(AdminSubjects.usage, { actor, project, since, until, bucket_seconds, group_by });
  }
}
