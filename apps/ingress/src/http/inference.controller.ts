import { Controller, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientProtocols } from '../proxy/protocol-adapters';
import { ProxyService } from '../proxy/proxy.service';

/** The OpenAI inference endpoints. Each hands the raw request to the data plane, which owns the reply. */
@Controller('v1')
export class InferenceController {
  constructor(private readonly proxy: ProxyService) {}

  @Post('responses')
  responses(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.handle(clientProtocols['openai-responses'], request, reply);
  }

  @Post('chat/completions')
  chatCompletions(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.proxy.handle(clientProtocols['openai-chat'], request, reply);
  }
}
