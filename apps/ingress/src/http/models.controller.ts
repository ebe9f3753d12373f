import { Controller, Get, Logger, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '@gw/ir';
import { modelCatalogWireFor } from '@gw/protocol-registry';
import { modelIdFromPath, type ClientWire } from '@gw/wire';
import { ApiKeyResolver } from '../auth/api-key-resolver';
import { chooseProfile } from '../proxy/profile-choice';
import { toGatewayErrorFromUnknown } from '../proxy/proxy.service';
import { RoutingTableHolder } from '../routing/routing-table.holder';

const MODELS = '/models';

/**
 * `GET /v1/models[/{id}]` and `GET /v1beta/models[/{id}]`: what this key can call, after its active profile or
 * `AH-Profile`, in the list and model shapes of the protocol the request speaks (OpenAI's, Anthropic's or
 * Gemini's: `modelCatalogWireFor`, ADR 0025), with that protocol's key headers and error envelope. Inference
 * (`POST .../models/{model}:method`) never reaches here: the inference lane takes every POST it serves.
 */
@Controller()
export class ModelsController {
  private readonly logger = new Logger(ModelsController.name);

  constructor(
    private readonly apiKeys: ApiKeyResolver,
    private readonly routing: RoutingTableHolder,
  ) {}

  @Get(['v1/models', 'v1beta/models', 'v1/models/*', 'v1beta/models/*'])
  async answer(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const url = request.url;
    const mark = url.indexOf('?');
    const path = mark === -1 ? url : url.slice(0, mark);
    const rawQuery = mark === -1 ? '' : url.slice(mark + 1);
    const query = new URLSearchParams(rawQuery);
    const prefix = path.startsWith('/v1beta/') ? '/v1beta' : '/v1';
    const wire = modelCatalogWireFor(prefix, request.headers, query);
    const catalog = wire?.models;
    if (wire === undefined || catalog === undefined) throw new Error(`No protocol lists models under ${prefix}`);
    try {
      const key = await this.apiKeys.resolve(wire.apiKey(request.headers, rawQuery));
      const table = this.routing.table();
      const models = table.listModels(key.apiKeyId, chooseProfile(request.headers, key, table));
      // `/v1/models/` with nothing after it is the list too.
      const segment = path.slice(prefix.length + MODELS.length + 1);
      if (segment === '') {
        await reply.send(catalog.list(models, query));
        return;
      }
      const id = modelIdFromPath(segment);
      const model = models.find((listed) => listed.id === id);
      if (model === undefined) throw modelNotFound(id ?? segment);
      await reply.send(catalog.one(model));
    } catch (error) {
      await this.fail(reply, wire, error);
    }
  }

  private async fail(reply: FastifyReply, wire: ClientWire, error: unknown): Promise<void> {
    const answer = wire.errorResponse(toGatewayErrorFromUnknown(error, this.logger));
    await reply.status(answer.status).send(answer.body);
  }
}

function modelNotFound(id: string): GatewayError {
  return new GatewayError('model_not_found', `The model \`${id.slice(0, 256)}\` does not exist or you do not have access to it.`, {
    param: 'model',
  });
}
