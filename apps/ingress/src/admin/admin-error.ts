import { HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { AdminErrorBody, AdminErrorCode } from '@gw/contracts';

export const ADMIN_STATUS: Record<AdminErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal_error: 500,
  service_unavailable: 503,
};

/** An admin API failure; rendered as `{"error":{"code","message","details"}}` with its status. */
export class AdminHttpError extends Error {
  constructor(readonly body: AdminErrorBody) {
    super(body.message);
    this.name = 'AdminHttpError';
  }

  get status(): number {
    return ADMIN_STATUS[this.body.code] ?? 500;
  }
}

const logger = new Logger('AdminApi');

/** Any error of an admin call as the admin envelope: ours as they are, Nest's (bad JSON, no route) by status. */
export function toAdminHttpError(error: unknown): AdminHttpError {
  if (error instanceof AdminHttpError) return error;
  if (error instanceof HttpException) return new AdminHttpError({ code: codeForStatus(error.getStatus()), message: error.message });
  logger.error(`Admin call failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return new AdminHttpError({ code: 'internal_error', message: 'The admin call failed; the gateway log has the details.' });
}

export async function sendAdminError(reply: FastifyReply, error: unknown): Promise<void> {
  const failure = toAdminHttpError(error);
  await reply.status(failure.status).send({ error: failure.body });
}

function codeForStatus(status: number): AdminErrorCode {
  const known = Object.entries(ADMIN_STATUS).find(([, value]) => value === status)?.[0];
  if (known !== undefined) return known as AdminErrorCode;
  return status < 500 ? 'invalid_request' : 'internal_error';
}
