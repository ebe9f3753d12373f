import type { AddressInfo } from 'node:net';
import type { INestApplication, INestMicroservice } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import { AuthSubjects, RoutingSubjects, type VerifyApiKeyReply } from '@gw/contracts';
import { SecretCipher, applyBootstrap, openDatabase, type BootstrapConfig } from '@gw/persistence';
import { createBusClient, startBusService } from '@gw/platform';
import { busRequest } from '@gw/transport';
import { AuthModule } from '../../../apps/auth/src/auth.module';
import { ApiKeyResolver } from '../../../apps/ingress/src/auth/api-key-resolver';
import { createIngressApp } from '../../../apps/ingress/src/ingress-app.factory';
import { RoutingModule } from '../../../apps/routing/src/routing.module';
import { createTestDatabase, distributedTestConfig, eventually, type TestDatabase } from '../support/test-infra';

const bootstrap: BootstrapConfig = {
  channels: [
    { name: 'deepseek', type: 'openai', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-upstream-secret', models: ['deepseek-chat'] },
  ],
  api_keys: [
    {
      name: 'dev',
      key: 'ah-it-dev-key',
      active_profile: 'default',
      profiles: [{ name: 'default', rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] }],
    },
  ],
};

describe('control plane over real NATS, PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let config: GatewayConfig;
  let dataSource: DataSource;
  let auth: INestMicroservice;
  let routing: INestMicroservice;
  let ingress: INestApplication;
  let bus: ClientProxy;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = distributedTestConfig(database.url);
    dataSource = await openDatabase(database.url);
    await applyBootstrap(dataSource, bootstrap, SecretCipher.fromKeyMaterial(config.secrets.encryption_key as string));
    auth = await startBusService(config, 'auth', () => AuthModule);
    routing = await startBusService(config, 'routing', () => RoutingModule);
    ingress = await createIngressApp(config);
    // Redis is shared with earlier runs, whose last test leaves this key cached as revoked for a few seconds.
    await ingress.get(ApiKeyResolver).evictAll();
    const server = ingress.getHttpServer() as { address(): AddressInfo };
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    bus = createBusClient(config);
    await bus.connect();
  });

  afterAll(async () => {
    await bus?.close();
    await ingress?.close();
    await routing?.close();
    await auth?.close();
    await dataSource?.destroy();
    await database?.drop();
  });

  const models = async (key: string): Promise<{ status: number; ids: string[] }> => {
    const response = await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await response.json()) as { data?: { id: string }[] };
    return { status: response.status, ids: (body.data ?? []).map((model) => model.id) };
  };

  it('verifies API keys over NATS (auth service), and only the right secret', async () => {
    const good = await busRequest<VerifyApiKeyReply>(bus, AuthSubjects.verifyApiKey, { secret: 'ah-it-dev-key' });
    expect(good.ok && good.key.apiKeyName).toBe('dev');
    expect(good.ok && good.key.activeProfile).toBe('default');
    const bad = await busRequest<VerifyApiKeyReply>(bus, AuthSubjects.verifyApiKey, { secret: 'ah-it-wrong' });
    expect(bad.ok).toBe(false);
  });

  it('serves the routing snapshot with the decrypted channel key over NATS', async () => {
    const snapshot = await busRequest<{ channels: { name: string; apiKey: string }[] }>(bus, RoutingSubjects.getSnapshot, {});
    expect(snapshot.channels.map((channel) => [channel.name, channel.apiKey])).toEqual([['deepseek', 'sk-upstream-secret']]);
  });

  it('lists the models the key reaches through its profile, and rejects unknown keys with 401', async () => {
    expect(await models('ah-it-dev-key')).toEqual({ status: 200, ids: ['deepseek-chat', 'gpt-4'] });
    expect((await models('ah-it-nope')).status).toBe(401);
  });

  it('propagates a snapshot change to ingress through the change event', async () => {
    await applyBootstrap(
      dataSource,
      { ...bootstrap, channels: [{ ...bootstrap.channels![0]!, models: ['deepseek-chat', 'deepseek-reasoner'] }] },
      SecretCipher.fromKeyMaterial(config.secrets.encryption_key as string),
    );
    await lastValueFrom(bus.emit(RoutingSubjects.snapshotChanged, { version: Date.now() + 1_000 }), { defaultValue: undefined });
    const after = await eventually(
      () => models('ah-it-dev-key'),
      (result) => result.ids.includes('deepseek-reasoner'),
      2_000,
    );
    expect(after.ids).toEqual(['deepseek-chat', 'deepseek-reasoner', 'gpt-4']);
  });

  it('keeps serving a warm key without the auth service, and evicts it on a change event', async () => {
    expect((await models('ah-it-dev-key')).status).toBe(200);
    await auth.close();
    // Warm cache: no NATS hop needed, so the key still works with auth down.
    expect((await models('ah-it-dev-key')).status).toBe(200);
    await dataSource.query(`UPDATE api_keys SET revoked_at = now() WHERE name = 'dev'`);
    auth = await startBusService(config, 'auth', () => AuthModule);
    // The restarted service's subscription reaches the NATS server a moment after it starts; until then a
    // request finds no subscriber.
    const verdict = await eventually(
      () => busRequest<VerifyApiKeyReply>(bus, AuthSubjects.verifyApiKey, { secret: 'ah-it-dev-key' }).catch(() => undefined),
      (reply) => reply !== undefined,
      2_000,
    );
    expect(verdict?.ok).toBe(false);
    await lastValueFrom(bus.emit(AuthSubjects.apiKeyChanged, {}), { defaultValue: undefined });
    const revoked = await eventually(
      () => models('ah-it-dev-key'),
      (result) => result.status === 401,
      1_000,
    );
    expect(revoked.status).toBe(401);
  });
});
