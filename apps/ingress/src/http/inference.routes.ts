import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { clientProtocols, type ClientProtocol } from '../proxy/protocol-adapters';
import { ProxyService } from '../proxy/proxy.service';

/**
 * The inference endpoints, registered on Fastify directly rather than as a Nest controller: the data plane
 * owns its reply (streams, in-stream errors), so Nest's per-request pipeline (guards, pipes, interceptors,
 * param binding) has nothing to do there. Measured: it was a tenth of the gateway's CPU per request.
 */
@Injectable()
export class InferenceRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly proxy: ProxyService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const route = (protocol: ClientProtocol): void => {
      fastify.post(protocol.endpoint, (request, reply) => this.proxy.handle(protocol, request, reply));
    };
    route(clientProtocols['openai-responses']);
    route(clientProtocols['openai-chat']);
  }
}
