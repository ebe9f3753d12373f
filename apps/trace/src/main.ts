import { exitOnStartupFailure, runBusService } from '@gw/platform';
import { TraceModule } from './trace.module';

/** Distributed mode: the trace service as its own process, consuming trace events from JetStream. */
runBusService('trace', (config) => TraceModule.forRoot(config)).catch(exitOnStartupFailure);
