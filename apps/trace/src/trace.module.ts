import { Module, type DynamicModule } from '@nestjs/common';
import { isEmbeddedMode, type GatewayConfig } from '@gw/config';
import { JetStreamTraceConsumer } from './jetstream-trace.consumer';
import { RequestLogWriter } from './request-log.writer';
import { TraceEventsController } from './trace-events.controller';

/** Request logs from trace events: JetStream (durable) in distributed mode, the in-process bus when embedded. */
@Module({})
export class TraceModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const embedded = isEmbeddedMode(config);
    return {
      module: TraceModule,
      controllers: embedded ? [TraceEventsController] : [],
      providers: embedded ? [RequestLogWriter] : [RequestLogWriter, JetStreamTraceConsumer],
    };
  }
}
