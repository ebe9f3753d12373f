import { Module } from '@nestjs/common';
import { redisProvider } from '@gw/platform';
import { ApiKeyResolver } from './auth/api-key-resolver';
import { HealthController } from './http/health.controller';
import { ModelsController } from './http/models.controller';
import { InFlightRequests } from './proxy/in-flight-requests';
import { PassthroughRelay } from './proxy/passthrough.relay';
import { ProxyService } from './proxy/proxy.service';
import { TranslatingRelay } from './proxy/translating.relay';
import { UpstreamClient } from './proxy/upstream.client';
import { ControlEventsController } from './routing/control-events.controller';
import { RoutingTableHolder } from './routing/routing-table.holder';
import { TraceEventPublisher } from './trace/trace-event.publisher';

/** The data plane: HTTP endpoints, caches, relays. Needs PlatformModule in the same process. */
@Module({
  controllers: [ModelsController, HealthController, ControlEventsController],
  providers: [
    redisProvider,
    ApiKeyResolver,
    RoutingTableHolder,
    TraceEventPublisher,
    UpstreamClient,
    PassthroughRelay,
    TranslatingRelay,
    ProxyService,
    InFlightRequests,
  ],
})
export class IngressModule {}
