import type { AddressInfo } from 'node:net';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { RoutingSubjects, type RoutingSnapshot, type RoutingSnapshotChangedEvent, type RoutingSnapshotReply } from '@gw/contracts';
import { SecretCipher, applyBootstrap, openDatabase, type BootstrapConfig } from '@gw/persistence';
import { createBusClient, startBusService } from '@gw/platform';
import { busRequest } from '@gw/transport';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import { createIngressApp } from '../../../apps/ingress/src/ingress-app.factory';
import { RoutingModule } from '../../../apps/routing/src/routing.module';
import { REDIS_URL, createTestDatabase, distributedTestConfig, eventually, type TestDatabase } from '../support/test-infra';

const CHANNEL_SECRET = 'sk-upstream-secret-in-memory-only';
const bootstrap: BootstrapConfig = {
  channels: [{ name: 'deepseek', type: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: CHANNEL_SECRET, models: ['deepseek-chat'] }],
  api_keys: [
    {
      name: 'dev',
      key: 'ah-it-profiles-key',
      active_profile: 'default',
      profiles: [{ name: 'default', rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] }],
    },
  ],
};

/**
 * The routing snapshot split by ADR 0016 on real NATS, Redis and PostgreSQL: channels (with credentials)
 * over the bus from the routing service, every key's profiles through Redis. Run under
 * `flock /tmp/gw-distributed.lock` (NATS subjects are not namespaced).
 */
describe('profiles in Redis, channels from the routing service', () => {
  let database: TestDatabase;
  let config: GatewayConfig;
  let dataSource: DataSource;
  let auth: INestMicroservice;
  let routing: INestMicroservice;
  let ingress: INestApplication;
  let bus: ClientProxy;
  let redis: Redis;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = distributedTestConfig(database.url);
    dataSource = await openDatabase(database.url);
    await applyBootstrap(dataSource, bootstrap, SecretCipher.fromKeyMaterial(config.secrets.encryption_key as string));
    auth = await startBusService(config, 'auth', () => AuthModule);
    routing = await startBusService(config, 'routing', () => RoutingModule);
    ingress = await createIngressApp(config);
    const server = ingress.getHttpServer() as { address(): AddressInfo };
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    bus = createBusClient(config);
    await bus.connect();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    await redis?.quit();
    await bus?.close();
    await ingress?.close();
    await routing?.close();
    await auth?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  const profilesKey = (): string => `${config.redis.key_prefix}routing:profiles`;
  const models = async (): Promise<string[]> => {
    const response = await fetch(`${baseUrl}/v1/models`, { headers: { authorization: 'Bearer ah-it-profiles-key' } });
    const body = (await response.json()) as { data?: { id: string }[] };
    return (body.data ?? []).map((model) => model.id);
  };
  const publish = (event: RoutingSnapshotChangedEvent): Promise<unknown> =>
    lastValueFrom(bus.emit(RoutingSubjects.snapshotChanged, event), { defaultValue: undefined });
  const storeProfiles = (version: number, profiles: RoutingSnapshot['profiles']): Promise<number> =>
    redis.hset(profilesKey(), 'version', String(version), 'profiles', JSON.stringify(profiles));

  it('answers an asker that reads Redis with the channels alone, and keeps every key profiles in Redis without a credential', async () => {
    const reply = await busRequest<RoutingSnapshotReply>(bus, RoutingSubjects.getSnapshot, { profilesFromRedis: true });
    expect(reply).toMatchObject({ profilesInRedis: true, channels: [{ name: 'deepseek', apiKey: CHANNEL_SECRET }] });
    expect(reply).not.toHaveProperty('profiles');
    const stored = await redis.hgetall(profilesKey());
    expect(Number(stored.version)).toBe(reply.version);
    expect(Object.values(JSON.parse(stored.profiles ?? '{}') as RoutingSnapshot['profiles'])).toEqual([
      [{ name: 'default', rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] }],
    ]);
    expect(JSON.stringify(stored)).not.toContain('sk-upstream');
    // Without the flag (embedded mode, no Redis) the profiles travel in the snapshot as before.
    const inline = await busRequest<RoutingSnapshotReply>(bus, RoutingSubjects.getSnapshot, {});
    expect(inline).toMatchObject({ profiles: { [Object.keys(JSON.parse(stored.profiles ?? '{}') as object)[0]!]: expect.any(Array) } });
    expect(await models()).toEqual(['deepseek-chat', 'gpt-4']);
  });

  it('applies a profiles-only change from Redis with the routing service stopped, only for the channels it holds', async () => {
    const snapshot = await busRequest<RoutingSnapshot>(bus, RoutingSubjects.getSnapshot, {});
    const apiKeyId = Object.keys(snapshot.profiles)[0]!;
    const channelsVersion = snapshot.channelsVersion!;
    expect(channelsVersion).toEqual(expect.any(Number));
    await routing.close();

    const rules = (from: string) => ({ [apiKeyId]: [{ name: 'default', rules: [{ from, to: 'deepseek-chat' }] }] });
    await storeProfiles(snapshot.version + 1, rules('gpt-4o'));
    await publish({ version: snapshot.version + 1, profilesOnly: { channelsVersion } });
    expect(await eventually(models, (ids) => ids.includes('gpt-4o'), 2_000)).toEqual(['deepseek-chat', 'gpt-4o']);

    // Profiles meant for other channels than this replica holds: it must ask the routing service (down), not guess.
    await storeProfiles(snapshot.version + 2, rules('gpt-4-turbo'));
    await publish({ version: snapshot.version + 2, profilesOnly: { channelsVersion: channelsVersion - 1 } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await models()).toEqual(['deepseek-chat', 'gpt-4o']);
  });
});
