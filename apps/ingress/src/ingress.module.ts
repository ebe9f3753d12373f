import { Module } from '@nestjs/common';
import { redisProvider } from '@gw/platform';
import { AdminBus } from './admin/admin-bus';
import { ADMIN_CONTROLLERS } from './admin/admin.controllers';
import { ApiKeyResolver } from './auth/api-key-resolver';
import { ConsoleController } from './console/console.controller';
import { HealthController } from './http/health.controller';
import { ModelsController } from './http/models.controller';
import { MetricsController } from './metrics/metrics.controller';
import { RequestMetrics } from './metrics/request-metrics';
import { InFlightRequests } from './proxy/in-flight-requests';
import { PassthroughRelay } from './proxy/passthrough.relay';
import { ProxyService } from './proxy/proxy.service';
import { TranslatingRelay } from './proxy/translating.relay';
import { TokenCountRelay } from './proxy/token-count.relay';
import { UpstreamClient } from './proxy/upstream.client';
import { ControlEventsController } from './routing/control-events.controller';
import { RoutingTableHolder } from './routing/routing-table.holder';
import { CapturePolicy } from './trace/capture-policy';
import { TraceEventPublisher } from './trace/trace-event.publisher';

/** The data plane (HTTP endpoints, caches, relays) and the admin API's HTTP face (`/admin/v1`) and the browser console (`/console`). Needs PlatformModule in the same process. */
@Module({
  controllers: [ModelsController, HealthController, MetricsController, ControlEventsController, ...ADMIN_CONTROLLERS, ConsoleController],
  providers: [
    AdminBus,
    redisProvider,
    ApiKeyResolver,
    RoutingTableHolder,
    TraceEventPublisher,
    CapturePolicy,
    UpstreamClient,
    PassthroughRelay,
    TranslatingRelay,
    TokenCountRelay,
    ProxyService,
    InFlightRequests,
    RequestMetrics,
  ],
})
export class IngressModule {}
