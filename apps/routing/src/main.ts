import { exitOnStartupFailure, runBusService } from '@gw/platform';
import { RoutingModule } from './routing.module';

/** Distributed mode: the routing service as its own process, answering `routing.*` over NATS. */
runBusService('routing', () => RoutingModule).catch(exitOnStartupFailure);
