import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyFromHeaders } from '@gw/wire';
import { ApiKeyResolver } from '../auth/api-key-resolver';
import { chooseProfile } from '../proxy/profile-choice';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { sendOpenAiError } from './send-error';

/** `GET /v1/models`: what this key can call, after its active profile or `AH-Profile` (OpenAI's list shape). */
@Controller('v1')
export class ModelsController {
  constructor(
    private readonly apiKeys: ApiKeyResolver,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get('models')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const key = await this.apiKeys.resolve(apiKeyFromHeaders(request.headers));
      const table = this.routing.table();
      const models = table.listModels(key.apiKeyId, chooseProfile(request.headers, key, table));
      await reply.send({
        object: 'list',
        data: models.map((model) => ({ id: model.id, object: 'model', created: 0, owned_by: model.ownedBy })),
      });
    } catch (error) {
      await sendOpenAiError(reply, error);
    }
  }
}
