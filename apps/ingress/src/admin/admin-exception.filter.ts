import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendAdminError } from './admin-error';

/** Admin controllers answer every failure in the admin envelope, never OpenAI's. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    void sendAdminError(host.switchToHttp().getResponse<FastifyReply>(), exception);
  }
}

export const ADMIN_PATH_PREFIX = '/admin/';
