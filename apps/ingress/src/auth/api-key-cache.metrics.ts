import type { CounterSeries, MetricsRegistry } from '@gw/metrics';

/** Key-decision lookups per cache tier: how often a request needs Redis, and how often the auth service. */
export class ApiKeyCacheMetrics {
  readonly memoryHit: CounterSeries;
  readonly memoryMiss: CounterSeries;
  readonly redisHit: CounterSeries;
  readonly redisMiss: CounterSeries;
  readonly redisError: CounterSeries;

  constructor(registry: MetricsRegistry) {
    const lookups = registry.counter({
      name: 'axonhub_api_key_cache_lookups_total',
      help: 'API-key decision lookups by cache tier (memory, redis) and result (hit, miss, error); a miss of both goes to the auth service.',
      labelNames: ['tier', 'result'],
    });
    this.memoryHit = lookups.labels('memory', 'hit');
    this.memoryMiss = lookups.labels('memory', 'miss');
    this.redisHit = lookups.labels('redis', 'hit');
    this.redisMiss = lookups.labels('redis', 'miss');
    this.redisError = lookups.labels('redis', 'error');
  }
}
