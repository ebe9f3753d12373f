import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendAdminError } from '../admin/admin-error';
import { ADMIN_PATH_PREFIX } from '../admin/admin-exception.filter';
import { GatewayError, toOpenAiErrorBody, type GatewayErrorCode } from '@gw/ir';

/**
 * Nest's own HTTP exceptions rendered in OpenAI's error envelope, so every error a client of this port
 * sees has the same shape: unknown route, method not allowed, and Fastify's body errors (Nest's adapter
 * takes over Fastify's error handler, so malformed JSON and an oversized body arrive here as 400 / 413).
 */
@Catch(HttpException)
export class OpenAiExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Errors no admin controller saw (unknown admin route, malformed JSON) still use the admin envelope there.
    if (host.switchToHttp().getRequest<FastifyRequest>().url.startsWith(ADMIN_PATH_PREFIX)) return void sendAdminError(reply, exception);
    const status = exception.getStatus();
    const error = new GatewayError(errorCodeFor(status), exception.message, { httpStatus: status });
    void reply.status(status).send(toOpenAiErrorBody(error));
  }
}

/** Regression guard: a 400 for malformed JSON and a 413 were rendered as `internal_error` / `api_error`. */
function errorCodeFor(status: number): GatewayErrorCode {
  if (status === 413) return 'request_too_large';
  if (status === 401) return 'invalid_api_key';
  return status < 500 ? 'invalid_request' : 'internal_error';
}
