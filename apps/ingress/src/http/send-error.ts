import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toOpenAiErrorBody } from '@gw/ir';
import { toGatewayErrorFromUnknown } from '../proxy/proxy.service';

const logger = new Logger('HttpError');

export async function sendOpenAiError(reply: FastifyReply, error: unknown, requestId: string): Promise<void> {
  const gatewayError = toGatewayErrorFromUnknown(error, logger);
  await reply.status(gatewayError.httpStatus).header('ah-request-id', requestId).send(toOpenAiErrorBody(gatewayError));
}
