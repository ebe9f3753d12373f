import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { GatewayConfig } from '@gw/config';
import { timeOrderedUuid } from '@gw/ir';
import { PlatformModule, busServerOptions, gatewayLogger } from '@gw/platform';
import { answerClientError } from './http/client-error';
import { InferenceLane } from './http/inference-lane';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { InFlightRequests } from './proxy/in-flight-requests';
import { ProxyService } from './proxy/proxy.service';
import { IngressModule } from './ingress.module';
import { RoutingTableHolder } from './routing/routing-table.holder';

/**
 * Builds the HTTP app: the ingress module plus whatever else this process hosts (embedded mode adds
 * auth, routing and trace). The bus listener serves control events to ingress and, when embedded, the
 * other services' request handlers.
 */
export async function createIngressApp(config: GatewayConfig, extraModules: (Type | DynamicModule)[] = []): Promise<INestApplication> {
  @Module({ imports: [PlatformModule.forRoot(config), ...extraModules, IngressModule] })
  class IngressAppModule {}

  const lane = new InferenceLane();
  let inFlight: InFlightRequests | undefined = undefined; // set once the app exists
  const adapter = new FastifyAdapter({
    bodyLimit: config.server.body_limit_bytes,
    logger: false,
    return503OnClosing: true,
    // The id every answer carries as AH-Request-Id (the inference lane makes its own the same way).
    genReqId: () => timeOrderedUuid(),
    // What node's HTTP parser refuses (garbled request line, 431, bad chunking) is answered in OpenAI's
    // envelope. Fastify installs this as the server's `clientError` listener in place of its own.
    clientErrorHandler: answerClientError,
    // One port: the inference endpoints are served by the lane, everything else by Fastify.
    serverFactory: (fastifyHandler: (request: IncomingMessage, response: ServerResponse) => void) => {
      const server = createServer((request, response) => {
        // Shutting down: every answer closes its connection, so keep-alive clients reconnect elsewhere.
        if (inFlight?.isDraining) response.shouldKeepAlive = false;
        if (!lane.take(request, response)) fastifyHandler(request, response);
      });
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      // Node's own whole-request limit (300 s) must not cut a body before server.request_body_timeout_ms does
      // (the client would get node's 408 and the row a 499); it stays the ceiling for everything else.
      server.requestTimeout = Math.max(server.requestTimeout, server.headersTimeout + config.server.request_body_timeout_ms + 1_000);
      return server;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(IngressAppModule, adapter, {
    logger: gatewayLogger(config),
    bodyParser: true,
  });
  lane.attach(app.get(ProxyService));
  inFlight = app.get(InFlightRequests);
  const fastify = app.getHttpAdapter().getInstance();
  // Every answer Fastify sends carries the id; the inference lane writes its own replies with its own id.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('ah-request-id', request.id);
    done(null, payload);
  });
  app.useGlobalFilters(new OpenAiExceptionFilter());
  app.connectMicroservice(busServerOptions(config), { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.init();
  await app.get(RoutingTableHolder).whenReady();
  await app.listen(config.server.port, config.server.host);
  return app;
}

/** Fastify's own default, which a server from `serverFactory` does not get: longer than clients' idle pools. */
const KEEP_ALIVE_TIMEOUT_MS = 72_000;
