import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toOpenAiErrorBody } from '@gw/ir';
import { toGatewayErrorFromUnknown } from '../proxy/proxy.service';

const logger = new Logger('HttpError');

export async function sendOpenAiError(reply: FastifyReply, error: unknown): Promise<void> {
  const gatewayError = toGatewayErrorFromUnknown(error, logger);
  await reply.status(gatewayError.httpStatus).send(toOpenAiErrorBody(gatewayError));
}
