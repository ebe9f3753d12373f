import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { GatewayError, toOpenAiErrorBody } from '@gw/ir';

/**
 * Nest's own HTTP exceptions (unknown route, method not allowed) rendered in OpenAI's error envelope,
 * so every error a client of this port sees has the same shape.
 */
@Catch(HttpException)
export class OpenAiExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception.getStatus();
    const error = new GatewayError(status === 404 ? 'invalid_request' : 'internal_error', exception.message, { httpStatus: status });
    void reply.status(status).header('ah-request-id', randomUUID()).send(toOpenAiErrorBody(error));
  }
}
