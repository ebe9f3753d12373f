import { exitOnStartupFailure, runBusService } from '@gw/platform';
import { AuthModule } from './auth.module';

/** Distributed mode: the auth service as its own process, answering `auth.*` over NATS. */
runBusService('auth', () => AuthModule).catch(exitOnStartupFailure);
