import { Module, type DynamicModule } from '@nestjs/common';
import { isEmbeddedMode, type GatewayConfig } from '@gw/config';
import { TraceAdminController } from './admin/trace-admin.controller';
import { JetStreamTraceConsumer } from './jetstream-trace.consumer';
import { RequestLogRetention } from './request-log.retention';
import { RequestLogWriter } from './request-log.writer';
import { TraceEventsController } from './trace-events.controller';

/**
 * Request logs from trace events: JetStream (durable) in distributed mode, the in-process bus when embedded;
 * rows past the retention are deleted. The admin API's request-log queries are answered here in both modes
 * (NATS request/reply, or the in-process bus).
 */
@Module({})
export class TraceModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const embedded = isEmbeddedMode(config);
    return {
      module: TraceModule,
      controllers: embedded ? [TraceEventsController, TraceAdminController] : [TraceAdminController],
      providers: embedded ? [RequestLogWriter, RequestLogRetention] : [RequestLogWriter, RequestLogRetention, JetStreamTraceConsumer],
    };
  }
}
