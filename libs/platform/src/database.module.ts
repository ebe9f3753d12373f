import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { DATA_SOURCE, GATEWAY_CONFIG, SECRET_CIPHER } from '@gw/contracts';
import { SecretCipher, loadOrCreateEncryptionKey, openDatabase } from '@gw/persistence';

class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** One TypeORM DataSource per process (migrations run at open) and the upstream-credential cipher. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DATA_SOURCE,
          inject: [GATEWAY_CONFIG],
          useFactory: async (config: GatewayConfig) => {
            if (!config.db.url) throw new Error('db.url is not set (embedded mode sets it after starting PostgreSQL)');
            return openDatabase(config.db.url);
          },
        },
        {
          provide: SECRET_CIPHER,
          inject: [GATEWAY_CONFIG],
          useFactory: async (config: GatewayConfig) =>
            SecretCipher.fromKeyMaterial(config.secrets.encryption_key ?? (await loadOrCreateEncryptionKey(config.data_dir))),
        },
        DataSourceCloser,
      ],
      exports: [DATA_SOURCE, SECRET_CIPHER],
    };
  }
}
