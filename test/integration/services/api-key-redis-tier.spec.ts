import { randomBytes } from 'node:crypto';
import type { MessageHandler } from '@nestjs/microservices';
import Redis from 'ioredis';
import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';
import { AuthSubjects, type VerifyApiKeyReply } from '@gw/contracts';
import { InProcessBroker, InProcessClient } from '@gw/transport';
import { ApiKeyResolver } from '../../../apps/ingress/src/auth/api-key-resolver';
import { REDIS_URL } from '../support/test-infra';

const TTL_MS = 1_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The key check's Redis tier on the real Redis, shared by several ingress replicas (resolvers), with the
 * auth service on the in-process bus. The change event reaches replicas at different moments; what one
 * replica writes to Redis in that window must not bring a revoked key back on another.
 */
describe('API key decisions in Redis, shared by replicas', () => {
  let redis: Redis;
  let config: GatewayConfig;
  let broker: InProcessBroker;
  /** The auth service's verdict, read when a verify request ARRIVES (as the database would be). */
  let valid: boolean;
  let answerDelayMs: number;
  let lookups: number;
  const replicas: ApiKeyResolver[] = [];

  const replica = (): ApiKeyResolver => {
    const resolver = new ApiKeyResolver(config, new InProcessClient(broker), redis);
    replicas.push(resolver);
    return resolver;
  };
  const accepted = (resolver: ApiKeyResolver): Promise<boolean> =>
    resolver.resolve('ah-shared-secret').then(
      () => true,
      (error: { code?: string }) => {
        if (error.code !== 'invalid_api_key') throw error;
        return false;
      },
    );

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.ping();
  });

  afterAll(async () => {
    await redis.quit();
  });

  beforeEach(() => {
    valid = true;
    answerDelayMs = 0;
    lookups = 0;
    config = structuredClone(DEFAULT_CONFIG);
    config.cache.api_key_ttl_ms = TTL_MS;
    config.redis.key_prefix = `it-${randomBytes(4).toString('hex')}:`;
    broker = new InProcessBroker();
    const verify = (async (): Promise<VerifyApiKeyReply> => {
      lookups++;
      const verdict = valid;
      await sleep(answerDelayMs);
      return verdict
        ? { ok: true, key: { apiKeyId: 'k1', apiKeyName: 'dev', projectId: 'p1', activeProfile: null, expiresAtMs: null } }
        : { ok: false };
    }) as MessageHandler;
    broker.registerRequestHandler(AuthSubjects.verifyApiKey, verify);
  });

  // Regression guard: with SCAN+DEL eviction the late replica's write landed after the first one's flush,
  // and the first replica read the revoked key back from Redis as valid for a whole TTL.
  it('a replica that has not seen the revocation yet cannot put the old decision back into Redis for the others', async () => {
    const first = replica();
    const late = replica();
    answerDelayMs = 150;
    // The late replica asks the auth service before the revocation, and gets its answer after it.
    const lateLookup = late.resolve('ah-shared-secret');
    await sleep(50);
    expect(lookups).toBe(1);
    valid = false;
    await first.evictAll(); // the change event reaches the first replica...
    expect(await lateLookup).toMatchObject({ apiKeyId: 'k1' }); // ...the late one answers its request from before
    await sleep(20); // its Redis write (refused: the epoch moved) has gone out
    answerDelayMs = 0;
    expect(await accepted(first)).toBe(false);
    expect(await accepted(replica())).toBe(false); // a replica started now
    await late.evictAll(); // the event reaches the late replica
    expect(await accepted(late)).toBe(false);
  });

  it('a new replica takes a decision from Redis without the auth service, and trusts it only for the TTL left there', async () => {
    expect(await accepted(replica())).toBe(true);
    expect(lookups).toBe(1);
    await sleep(TTL_MS / 2);
    const started = replica();
    expect(await accepted(started)).toBe(true);
    expect(lookups).toBe(1); // from Redis
    await sleep(TTL_MS / 2 + 100); // past the decision's TTL, though not past a full TTL since the new replica read it
    expect(await accepted(started)).toBe(true);
    expect(lookups).toBe(2);
  });

  it('an eviction retires every decision in Redis at once', async () => {
    const first = replica();
    expect(await accepted(first)).toBe(true);
    await replica().evictAll();
    valid = false;
    expect(await accepted(replica())).toBe(false);
    expect(lookups).toBe(2);
  });
});
