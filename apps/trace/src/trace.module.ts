import { Module, type DynamicModule } from '@nestjs/common';
import { isEmbeddedMode, type GatewayConfig } from '@gw/config';
import { JetStreamTraceConsumer } from './jetstream-trace.consumer';
import { RequestLogRetention } from './request-log.retention';
import { RequestLogWriter } from './request-log.writer';
import { TraceEventsController } from './trace-events.controller';

/**
 * Request logs from trace events: JetStream (durable) in distributed mode, the in-process bus when embedded;
 * rows past the retention are deleted.
 */
@Module({})
export class TraceModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const embedded = isEmbeddedMode(config);
    return {
      module: TraceModule,
      controllers: embedded ? [TraceEventsController] : [],
      providers: embedded ? [RequestLogWriter, RequestLogRetention] : [RequestLogWriter, RequestLogRetention, JetStreamTraceConsumer],
    };
  }
}
