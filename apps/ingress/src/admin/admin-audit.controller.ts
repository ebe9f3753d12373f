import { Controller, Get, Query, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type AuditEntryView, type Page } from '@gw/contracts';
import { AdminBus } from './admin-bus';
import { AdminHttpError } from './admin-error';
import { AdminExceptionFilter } from './admin-exception.filter';

const DEFAULT_PAGE = 50;

/** Every admin change, newest first: `?limit=` (1–200) and `?cursor=` (the previous page's `next_cursor`). */
@Controller('admin/v1/audit')
@UseFilters(AdminExceptionFilter)
export class AdminAuditController {
  constructor(private readonly admin: AdminBus) {}

  @Get()
  async list(
    @Req() request: FastifyRequest,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<AuditEntryView>> {
    const actor = await this.admin.authorize(request, 'read');
    const pageSize = limit === undefined ? DEFAULT_PAGE : Number(limit);
    if (!Number.isInteger(pageSize)) throw new AdminHttpError({ code: 'invalid_request', message: 'limit must be a whole number' });
    return this.admin.call(AdminSubjects.listAudit, { actor, limit: pageSize, before: cursor });
  }
}
