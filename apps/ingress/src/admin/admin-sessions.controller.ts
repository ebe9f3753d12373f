import { Body, Controller, Get, HttpCode, Post, Req, UseFilters } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminSubjects, type AdminActor, type SessionView } from '@gw/contracts';
import { AdminBus, bodyObject } from './admin-bus';
import { AdminExceptionFilter } from './admin-exception.filter';

/**
 * Login with a user's name and password. The session token is an admin token (hashed, with an expiry), sent
 * as `Authorization: Bearer` like any other; the answer is the only place it appears.
 */
@Controller('admin/v1')
@UseFilters(AdminExceptionFilter)
export class AdminSessionsController {
  constructor(private readonly admin: AdminBus) {}

  /** Unauthenticated. A wrong name and a wrong password get the same 401 after the same work. */
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown): Promise<SessionView> {
    const { name, password, project } = bodyObject(body);
    return this.admin.call(AdminSubjects.login, { name, password, project });
  }

  /**
   * Who the caller is: the token's name, role and project scope. The console asks this after a token is
   * pasted, to show only what the role may do (the API refuses the rest anyway).
   */
  @Get('session')
  async session(@Req() request: FastifyRequest): Promise<AdminActor> {
    const actor = await this.admin.authorize(request, 'read');
    return {
      token_id: actor.token_id,
      token_name: actor.token_name,
      role: actor.role,
      project_id: actor.project_id,
      user_id: actor.user_id ?? null,
    };
  }

  /** Revokes the caller's own session: its next call is a 401. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: FastifyRequest): Promise<void> {
    const actor = await this.admin.authorize(request, 'read');
    await this.admin.call(AdminSubjects.logout, { actor });
  }
}
