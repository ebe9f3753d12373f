import type { MessageHandler } from '@nestjs/microservices';
import type { GatewayConfig } from '@gw/config';
import { AuthSubjects, type VerifyApiKeyReply } from '@gw/contracts';
import { InProcessBroker, InProcessClient } from '@gw/transport';
import { ApiKeyResolver } from './api-key-resolver';

const TTL_MS = 1_000; // refresh-ahead window: the last 200 ms
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The key check against an auth service on the in-process bus (the embedded mode's transport). */
describe('ApiKeyResolver', () => {
  let lookups: number;
  let answerDelayMs: number;
  let valid: boolean;
  let failing: boolean;
  let expiresAtMs: number | null;
  let resolver: ApiKeyResolver;

  beforeEach(() => {
    lookups = 0;
    answerDelayMs = 0;
    valid = true;
    failing = false;
    expiresAtMs = null;
    const broker = new InProcessBroker();
    const verify = (async (): Promise<VerifyApiKeyReply> => {
      lookups++;
      await sleep(answerDelayMs);
      if (failing) throw new Error('connection to the database lost');
      return valid
        ? { ok: true, key: { apiKeyId: 'k1', apiKeyName: 'dev', projectId: 'p1', activeProfile: null, expiresAtMs } }
        : { ok: false };
    }) as MessageHandler;
    broker.registerRequestHandler(AuthSubjects.verifyApiKey, verify);
    const config = {
      cache: { api_key_ttl_ms: TTL_MS, api_key_negative_ttl_ms: 500, api_key_max_entries: 100 },
      redis: { key_prefix: 'ah:' },
    } as GatewayConfig;
    resolver = new ApiKeyResolver(config, new InProcessClient(broker), null);
  });

  const timed = async (): Promise<number> => {
    const started = Date.now();
    await resolver.resolve('ah-secret');
    return Date.now() - started;
  };

  it('refreshes a key in use before its entry expires, so no request waits for the auth service', async () => {
    await resolver.resolve('ah-secret');
    expect(lookups).toBe(1);
    answerDelayMs = 300; // a slow auth service from now on
    await sleep(TTL_MS - 150); // inside the refresh-ahead window
    expect(await timed()).toBeLessThan(100); // answered from the cache...
    await sleep(20);
    expect(lookups).toBe(2); // ...while the refresh started
    await sleep(430); // past the first entry's expiry; the refresh has landed
    expect(await timed()).toBeLessThan(100);
    expect(lookups).toBe(2);
  });

  it('refuses a cached key once its expiry has passed, without asking the auth service again', async () => {
    expiresAtMs = Date.now() + 100;
    await resolver.resolve('ah-secret');
    await sleep(150); // well within the cache TTL, past the key's expiry
    await expect(resolver.resolve('ah-secret')).rejects.toMatchObject({ code: 'invalid_api_key' });
    expect(lookups).toBe(1);
  });

  it('a refresh that finds the key revoked rejects it from then on', async () => {
    await resolver.resolve('ah-secret');
    valid = false;
    await sleep(TTL_MS - 150);
    await resolver.resolve('ah-secret'); // still trusted (within its TTL), starts the refresh
    await sleep(50);
    await expect(resolver.resolve('ah-secret')).rejects.toMatchObject({ code: 'invalid_api_key' });
  });

  it('a key not used for its TTL is asked about again, and the request waits for the answer', async () => {
    await resolver.resolve('ah-secret');
    await sleep(TTL_MS + 50);
    answerDelayMs = 150;
    expect(await timed()).toBeGreaterThanOrEqual(140);
    expect(lookups).toBe(2);
  });

  it('a key the auth service could not check is a 503 that names no internal service, and is not cached', async () => {
    failing = true;
    const failure = await resolver.resolve('ah-secret').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'service_unavailable', httpStatus: 503 });
    expect((failure as Error).message).toBe('The API key could not be verified right now; please try again shortly.');
    failing = false;
    await resolver.resolve('ah-secret');
    expect(lookups).toBe(2);
  });
});
