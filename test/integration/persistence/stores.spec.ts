import { In, type DataSource } from 'typeorm';
import type { RequestFinishedEvent } from '@gw/contracts';
import {
  ApiKeyEntity,
  ApiKeyStore,
  applyBootstrap,
  ChannelEntity,
  openDatabase,
  ProjectEntity,
  RequestLogStore,
  RoutingStore,
  SecretCipher,
} from '@gw/persistence';
import type { BootstrapConfig } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

const bootstrap: BootstrapConfig = {
  channels: [
    { name: 'zeta-responses', type: 'openai-responses', base_url: 'https://api.openai.com/v1', api_key: 'sk-openai', models: ['gpt-5'] },
    {
      name: 'deepseek',
      type: 'openai',
      base_url: 'https://api.deepseek.com/v1',
      api_key: 'sk-deepseek',
      models: ['deepseek-chat'],
      timeout_ms: 600000,
    },
    { name: 'disabled-later', type: 'openai', base_url: 'https://example.test/v1', api_key: 'sk-off', models: ['m'] },
  ],
  api_keys: [
    {
      name: 'dev',
      key: 'ah-dev-secret',
      active_profile: 'default',
      profiles: [
        { name: 'default', rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] },
        { name: 'alt', rules: [] },
      ],
    },
    { name: 'plain', key: 'ah-plain-secret' },
    { name: 'to-revoke', key: 'ah-revoked-secret', active_profile: 'p', profiles: [{ name: 'p', rules: [{ from: 'a', to: 'b' }] }] },
  ],
};

describe('stores', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const cipher = SecretCipher.fromKeyMaterial('stores-spec-key');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url);
    await applyBootstrap(dataSource, bootstrap, cipher);
    await dataSource.getRepository(ChannelEntity).update({ name: 'disabled-later' }, { enabled: false });
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  describe('ApiKeyStore.verify', () => {
    it('returns the key for the right secret', async () => {
      const dev = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ name: 'dev' });
      expect(await new ApiKeyStore(dataSource).verify('ah-dev-secret')).toEqual({
        apiKeyId: dev.id,
        apiKeyName: 'dev',
        projectId: dev.projectId,
        activeProfile: 'default',
        expiresAtMs: null,
      });
      expect((await new ApiKeyStore(dataSource).verify('ah-plain-secret'))?.activeProfile).toBeNull();
    });

    it('returns null for a wrong secret, including a near miss', async () => {
      const store = new ApiKeyStore(dataSource);
      expect(await store.verify('ah-dev-secreT')).toBeNull();
      expect(await store.verify('')).toBeNull();
    });

    it('still finds the key when another row shares its lookup prefix (the prefix is not unique)', async () => {
      const dev = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ name: 'dev' });
      const impostor = await dataSource.getRepository(ApiKeyEntity).save({
        projectId: dev.projectId,
        name: 'lookup-collision',
        keyLookup: dev.keyLookup,
        keyHash: 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        activeProfile: null,
      });
      try {
        expect((await new ApiKeyStore(dataSource).verify('ah-dev-secret'))?.apiKeyName).toBe('dev');
      } finally {
        await dataSource.getRepository(ApiKeyEntity).delete({ id: impostor.id });
      }
    });

    it('returns null for a revoked key and reports its lookup for cache eviction', async () => {
      const store = new ApiKeyStore(dataSource);
      expect((await store.verify('ah-revoked-secret'))?.apiKeyName).toBe('to-revoke');
      const revoked = await store.revokeByName('to-revoke');
      expect(revoked?.lookup).toMatch(/^[0-9a-f]{16}$/);
      expect(await store.verify('ah-revoked-secret')).toBeNull();
      expect(await store.revokeByName('no-such-key')).toBeNull();
    });
  });

  describe('ApiKeyStore.verify and expiry', () => {
    it('refuses a key whose expiry has passed, and tells the cache when a live key expires', async () => {
      const store = new ApiKeyStore(dataSource);
      const repository = dataSource.getRepository(ApiKeyEntity);
      const plain = await repository.findOneByOrFail({ name: 'plain' });
      const later = new Date(Date.now() + 60_000);
      await repository.update({ id: plain.id }, { expiresAt: later });
      expect((await store.verify('ah-plain-secret'))?.expiresAtMs).toBe(later.getTime());
      await repository.update({ id: plain.id }, { expiresAt: new Date(Date.now() - 1_000) });
      expect(await store.verify('ah-plain-secret')).toBeNull();
      await repository.update({ id: plain.id }, { expiresAt: null });
    });
  });

  describe('RoutingStore.loadSnapshot', () => {
    it('holds enabled channels with decrypted keys and the profiles of live keys, in a stable order', async () => {
      // Runs after the revocation above: 'to-revoke' has profiles but must not appear.
      await new ApiKeyStore(dataSource).revokeByName('to-revoke');
      const dev = await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ name: 'dev' });
      const channels = await dataSource.getRepository(ChannelEntity).find();
      const idOf = (name: string): string | undefined => channels.find((channel) => channel.name === name)?.id;

      const snapshot = await new RoutingStore(dataSource).loadSnapshot(cipher, 7);
      expect(snapshot).toEqual({
        version: 7,
        channels: [
          {
            id: idOf('deepseek'),
            name: 'deepseek',
            type: 'openai',
            baseUrl: 'https://api.deepseek.com/v1',
            apiKey: 'sk-deepseek',
            models: ['deepseek-chat'],
            timeoutMs: 600000,
          },
          {
            id: idOf('zeta-responses'),
            name: 'zeta-responses',
            type: 'openai-responses',
            baseUrl: 'https://api.openai.com/v1',
            apiKey: 'sk-openai',
            models: ['gpt-5'],
          },
        ],
        profiles: {
          [dev.id]: [
            { name: 'alt', rules: [] },
            { name: 'default', rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] },
          ],
        },
        captureBodies: {},
      });
      expect('timeoutMs' in snapshot.channels[1]!).toBe(false);
    });

    it("carries the projects' capture overrides, and only projects that set one", async () => {
      const projects = dataSource.getRepository(ProjectEntity);
      const on = await projects.save({ name: 'capture-on', captureBodies: true });
      const off = await projects.save({ name: 'capture-off', captureBodies: false });
      await projects.save({ name: 'capture-config' });
      try {
        const snapshot = await new RoutingStore(dataSource).loadSnapshot(cipher, 8);
        expect(snapshot.captureBodies).toEqual({ [on.id]: true, [off.id]: false });
      } finally {
        await projects.delete({ name: In(['capture-on', 'capture-off', 'capture-config']) });
      }
    });

    it('fails naming the channel when the cipher key is wrong', async () => {
      await expect(new RoutingStore(dataSource).loadSnapshot(SecretCipher.fromKeyMaterial('wrong'), 1)).rejects.toThrow(
        /channel "deepseek": cannot read its stored api key: .*wrong encryption key/,
      );
    });
  });

  describe('RequestLogStore', () => {
    const event: RequestFinishedEvent = {
      requestId: 'req_01JABCDEF',
      projectId: '3f1c1d1e-0000-4000-8000-000000000001',
      apiKeyId: '3f1c1d1e-0000-4000-8000-000000000002',
      conversationKey: 'conv-123',
      conversationSource: 'session-id',
      threadKey: null,
      clientProtocol: 'openai-responses',
      endpoint: '/v1/responses',
      stream: true,
      requestedModel: 'gpt-4',
      mappedModel: 'deepseek-reasoner',
      upstreamModel: 'deepseek-reasoner-deployment',
      channelName: 'deepseek',
      status: 200,
      errorCode: null,
      errorMessage: null,
      startedAt: '2026-01-02T03:04:05.678Z',
      latencyMs: 1234,
      ttftMs: 210,
      inputTokens: 100,
      outputTokens: 20,
      totalTokens: 120,
      cachedInputTokens: 64,
      reasoningTokens: 8,
      warnings: ['reasoning summary dropped'],
    };

    it('round-trips every field', async () => {
      const store = new RequestLogStore(dataSource);
      await store.insert(event);
      expect(await store.findByRequestId(event.requestId)).toEqual(event);
    });

    it('writes a redelivered event once: the first write wins', async () => {
      const store = new RequestLogStore(dataSource);
      const redelivered = { ...event, requestId: 'req_redelivered', status: 200 };
      await store.insert(redelivered);
      await store.insert({ ...redelivered, status: 502 });
      const rows = await dataSource.query(`SELECT status FROM request_logs WHERE request_id = $1`, ['req_redelivered']);
      expect(rows).toEqual([{ status: 200 }]);
    });

    it('writes a batch in one statement: every field of every row, nulls included', async () => {
      const store = new RequestLogStore(dataSource);
      const bare: RequestFinishedEvent = {
        ...event,
        requestId: 'req_batch_bare',
        projectId: null,
        apiKeyId: null,
        conversationKey: null,
        conversationSource: null,
        requestedModel: null,
        mappedModel: null,
        upstreamModel: null,
        channelName: null,
        status: 401,
        errorCode: 'invalid_api_key',
        errorMessage: 'Incorrect API key provided.',
        ttftMs: null,
        inputTokens: null,
        outputTokens: null,
        totalTokens: null,
        cachedInputTokens: null,
        reasoningTokens: null,
        warnings: [],
      };
      const full = { ...event, requestId: 'req_batch_full', threadKey: 'thread-7', latencyMs: 12.375 };
      await store.insertMany([bare, full, { ...full, status: 500 }]);
      expect(await store.findByRequestId(bare.requestId)).toEqual(bare);
      expect(await store.findByRequestId(full.requestId)).toEqual(full);
    });

    it('stores a row whose text holds U+0000 without it, instead of failing the whole batch', async () => {
      const store = new RequestLogStore(dataSource);
      const withNul = { ...event, requestId: 'req_nul', status: 502, errorMessage: 'upstream said \u0000no', warnings: ['a\u0000b'] };
      const neighbour = { ...event, requestId: 'req_nul_neighbour' };
      await store.insertMany([withNul, neighbour]);
      expect(await store.findByRequestId('req_nul')).toEqual({ ...withNul, errorMessage: 'upstream said no', warnings: ['ab'] });
      expect(await store.findByRequestId('req_nul_neighbour')).toEqual(neighbour);
    });

    it('counts the requests of one conversation', async () => {
      const store = new RequestLogStore(dataSource);
      await store.insert({ ...event, requestId: 'req_conv_a', conversationKey: 'conv-counted' });
      await store.insert({ ...event, requestId: 'req_conv_b', conversationKey: 'conv-counted' });
      await store.insert({ ...event, requestId: 'req_other', conversationKey: 'conv-elsewhere', warnings: [] });
      expect(await store.countByConversation('conv-counted')).toBe(2);
      expect(await store.countByConversation('conv-nobody')).toBe(0);
      expect(await store.findByRequestId('req_missing')).toBeNull();
    });
  });
});
