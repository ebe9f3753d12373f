import type { DataSource } from 'typeorm';
import {
  ApiKeyEntity,
  ApiKeyStore,
  applyBootstrap,
  BootstrapValidationError,
  ChannelEntity,
  ModelProfileEntity,
  openDatabase,
  ProjectEntity,
  SecretCipher,
  verifyApiKeyHash,
} from '@gw/persistence';
import type { BootstrapConfig } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

const CHANNEL_SECRET = 'sk-upstream-deepseek-0123456789abcdef';
const CLIENT_SECRET = 'ah-dev-key-fedcba9876543210';

function sampleBootstrap(): BootstrapConfig {
  return {
    channels: [
      {
        name: 'deepseek',
        type: 'openai',
        base_url: 'https://api.deepseek.com/v1',
        api_key: CHANNEL_SECRET,
        models: ['deepseek-chat', 'deepseek-reasoner'],
        timeout_ms: 600000,
      },
    ],
    api_keys: [
      {
        name: 'dev',
        key: CLIENT_SECRET,
        active_profile: 'default',
        profiles: [
          {
            name: 'default',
            rules: [
              { from: 'gpt-4', to: 'deepseek-reasoner' },
              { from: 'gpt-3\\.5.*', to: 'deepseek-chat' },
            ],
          },
        ],
      },
    ],
  };
}

/** Every row of the bootstrapped tables, as raw text, to compare runs and search for secrets. */
async function dumpTables(dataSource: DataSource): Promise<string> {
  const tables = ['projects', 'channels', 'api_keys', 'model_profiles'];
  const dumps = await Promise.all(tables.map((table) => dataSource.query(`SELECT * FROM ${table} ORDER BY id`)));
  return JSON.stringify(dumps);
}

describe('applyBootstrap', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const cipher = SecretCipher.fromKeyMaterial('bootstrap-spec-key');

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('creates the default project, channel, key and profiles, then changes nothing on a second run', async () => {
    const first = await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    expect(first).toEqual({ changed: true, routingChanged: true, apiKeysChanged: true });
    const afterFirst = await dumpTables(dataSource);

    const second = await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    expect(second).toEqual({ changed: false, routingChanged: false, apiKeysChanged: false });
    expect(await dumpTables(dataSource)).toBe(afterFirst);

    const projects = await dataSource.getRepository(ProjectEntity).find();
    expect(projects.map((project) => project.name)).toEqual(['default']);

    const channels = await dataSource.getRepository(ChannelEntity).find();
    expect(channels).toHaveLength(1);
    expect(channels[0]).toMatchObject({
      name: 'deepseek',
      type: 'openai',
      baseUrl: 'https://api.deepseek.com/v1',
      models: ['deepseek-chat', 'deepseek-reasoner'],
      enabled: true,
      timeoutMs: 600000,
    });
    expect(channels[0]!.apiKeyEncrypted).toMatch(/^v1:[^:]+:[^:]+:[^:]+$/);
    expect(cipher.decrypt(channels[0]!.apiKeyEncrypted)).toBe(CHANNEL_SECRET);

    const apiKeys = await dataSource.getRepository(ApiKeyEntity).find();
    expect(apiKeys).toHaveLength(1);
    expect(apiKeys[0]).toMatchObject({ name: 'dev', projectId: projects[0]!.id, activeProfile: 'default', revokedAt: null });
    expect(apiKeys[0]!.keyHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(apiKeys[0]!.keyLookup).toMatch(/^[0-9a-f]{16}$/);
    expect(await verifyApiKeyHash(CLIENT_SECRET, apiKeys[0]!.keyHash)).toBe(true);

    const profiles = await dataSource.getRepository(ModelProfileEntity).find();
    expect(profiles.map(({ apiKeyId, name, rules }) => ({ apiKeyId, name, rules }))).toEqual([
      {
        apiKeyId: apiKeys[0]!.id,
        name: 'default',
        rules: [
          { from: 'gpt-4', to: 'deepseek-reasoner' },
          { from: 'gpt-3\\.5.*', to: 'deepseek-chat' },
        ],
      },
    ]);
  });

  it('writes keys, profiles and the project with the admin API commands, audited as config.yml, and audits nothing on an unchanged file', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    const auditRows = (): Promise<Array<{ action: string; actor_name: string; after: unknown }>> =>
      dataSource.query(`SELECT action, actor_name, after FROM audit_log ORDER BY id`);
    const first = await auditRows();
    expect(first.map((row) => row.action)).toEqual([
      'channel.create',
      'project.create',
      'api_key.create',
      'profile.create',
      'api_key.set_active_profile',
    ]);
    expect(new Set(first.map((row) => row.actor_name))).toEqual(new Set(['bootstrap (config.yml)']));
    expect(JSON.stringify(first)).not.toContain(CLIENT_SECRET);
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    expect(await auditRows()).toHaveLength(first.length);

    const rotated = sampleBootstrap();
    rotated.api_keys![0]!.key = 'ah-rotated-secret-111111111111';
    await applyBootstrap(dataSource, rotated, cipher);
    const last = (await auditRows()).at(-1);
    expect(last).toMatchObject({ action: 'api_key.replace_secret', actor_name: 'bootstrap (config.yml)' });
    expect(JSON.stringify(last)).not.toContain('ah-rotated-secret-111111111111');
  });

  it('stores neither secret in clear anywhere', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    const everything = await dumpTables(dataSource);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(CHANNEL_SECRET);
    expect(everything).not.toContain('0123456789abcdef'); // no fragment of the upstream key either
  });

  it('replaces a key profiles with exactly the listed ones and moves the active profile', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    const updated = sampleBootstrap();
    const devKey = updated.api_keys![0]!;
    const cheap = { name: 'cheap', rules: [{ from: 'gpt-.*', to: 'deepseek-chat' }] };
    devKey.profiles = [cheap, { name: 'smart', rules: [{ from: 'o3', to: 'deepseek-reasoner' }] }];
    devKey.active_profile = 'smart';

    const result = await applyBootstrap(dataSource, updated, cipher);
    expect(result).toEqual({ changed: true, routingChanged: true, apiKeysChanged: true });
    const profiles = await dataSource.getRepository(ModelProfileEntity).find({ order: { name: 'ASC' } });
    expect(profiles.map(({ name, rules }) => ({ name, rules }))).toEqual([
      { name: 'cheap', rules: [{ from: 'gpt-.*', to: 'deepseek-chat' }] },
      { name: 'smart', rules: [{ from: 'o3', to: 'deepseek-reasoner' }] },
    ]);
    const [apiKey] = await dataSource.getRepository(ApiKeyEntity).find();
    expect(apiKey?.activeProfile).toBe('smart');

    // A rule edit alone is a routing change, not a key change.
    cheap.rules = [{ from: 'gpt-4o', to: 'deepseek-chat' }];
    expect(await applyBootstrap(dataSource, updated, cipher)).toEqual({ changed: true, routingChanged: true, apiKeysChanged: false });
  });

  it('never overwrites an admin-API change unless the file changed that very item', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    const [apiKey] = await dataSource.getRepository(ApiKeyEntity).find();
    const profiles = dataSource.getRepository(ModelProfileEntity);
    // What the admin API does: a new profile, an edited bootstrap profile, another active profile.
    await profiles.insert({ apiKeyId: apiKey!.id, name: 'from-api', rules: [{ from: 'o3', to: 'deepseek-chat' }] });
    await profiles.update({ apiKeyId: apiKey!.id, name: 'default' }, { rules: [{ from: 'gpt-4', to: 'deepseek-chat' }] });
    await dataSource.getRepository(ApiKeyEntity).update({ id: apiKey!.id }, { activeProfile: 'from-api' });

    // Same file: nothing is re-applied.
    expect(await applyBootstrap(dataSource, sampleBootstrap(), cipher)).toEqual({
      changed: false,
      routingChanged: false,
      apiKeysChanged: false,
    });
    const rulesOf = async (name: string): Promise<unknown> => (await profiles.findOneBy({ apiKeyId: apiKey!.id, name }))?.rules;
    expect(await rulesOf('default')).toEqual([{ from: 'gpt-4', to: 'deepseek-chat' }]);
    expect((await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey!.id })).activeProfile).toBe('from-api');

    // The file changes the profile's rules: that profile is re-applied; the key's active profile is not.
    const edited = sampleBootstrap();
    edited.api_keys![0]!.profiles![0]!.rules = [{ from: 'gpt-5', to: 'deepseek-reasoner' }];
    expect(await applyBootstrap(dataSource, edited, cipher)).toEqual({ changed: true, routingChanged: true, apiKeysChanged: false });
    expect(await rulesOf('default')).toEqual([{ from: 'gpt-5', to: 'deepseek-reasoner' }]);
    expect(await rulesOf('from-api')).toEqual([{ from: 'o3', to: 'deepseek-chat' }]);
    expect((await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey!.id })).activeProfile).toBe('from-api');

    // The file changes the key's active profile: the key is re-applied.
    edited.api_keys![0]!.profiles!.push({ name: 'second', rules: [] });
    edited.api_keys![0]!.active_profile = 'second';
    expect((await applyBootstrap(dataSource, edited, cipher)).apiKeysChanged).toBe(true);
    expect((await dataSource.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey!.id })).activeProfile).toBe('second');
  });

  it('re-hashes a changed client secret and re-encrypts a changed upstream key, leaving ids in place', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    const [keyBefore] = await dataSource.getRepository(ApiKeyEntity).find();
    const apiKeys = new ApiKeyStore(dataSource);

    const rotated = sampleBootstrap();
    rotated.api_keys![0]!.key = 'ah-rotated-secret-000000000000';
    rotated.channels![0]!.api_key = 'sk-rotated-upstream';
    expect(await applyBootstrap(dataSource, rotated, cipher)).toEqual({ changed: true, routingChanged: true, apiKeysChanged: true });

    const [keyAfter] = await dataSource.getRepository(ApiKeyEntity).find();
    expect(keyAfter?.id).toBe(keyBefore?.id);
    expect(keyAfter?.keyHash).not.toBe(keyBefore?.keyHash);
    expect(keyAfter?.keyLookup).not.toBe(keyBefore?.keyLookup);
    expect(await apiKeys.verify(CLIENT_SECRET)).toBeNull();
    expect((await apiKeys.verify('ah-rotated-secret-000000000000'))?.apiKeyId).toBe(keyBefore?.id);

    const [channel] = await dataSource.getRepository(ChannelEntity).find();
    expect(cipher.decrypt(channel!.apiKeyEncrypted)).toBe('sk-rotated-upstream');
  });

  it('re-encrypts channel keys stored under a previous encryption key', async () => {
    await applyBootstrap(dataSource, sampleBootstrap(), SecretCipher.fromKeyMaterial('the-old-key'));
    const result = await applyBootstrap(dataSource, sampleBootstrap(), cipher);
    expect(result.routingChanged).toBe(true);
    const [channel] = await dataSource.getRepository(ChannelEntity).find();
    expect(cipher.decrypt(channel!.apiKeyEncrypted)).toBe(CHANNEL_SECRET);
  });

  describe('rejects an invalid section before writing anything, naming the entry', () => {
    const cases: Array<[string, (config: BootstrapConfig) => void, RegExp]> = [
      [
        'an unknown channel type',
        (config) => Object.assign(config.channels![0]!, { type: 'cohere' }),
        /bootstrap\.channels\[0\] "deepseek": type "cohere" is not one of openai, openai-responses, anthropic/,
      ],
      [
        'a rule regex that does not compile',
        (config) => (config.api_keys![0]!.profiles![0]!.rules[1] = { from: 'gpt-(4', to: 'x' }),
        /bootstrap\.api_keys\[0\] "dev": profiles\[0\] "default": rules\[1\]: from "gpt-\(4" is not a valid regex/,
      ],
      [
        'an active profile the key does not have',
        (config) => (config.api_keys![0]!.active_profile = 'missing'),
        /bootstrap\.api_keys\[0\] "dev": active_profile "missing" is not one of its profiles \(default\)/,
      ],
      [
        'a duplicate channel name',
        (config) => config.channels!.push({ ...config.channels![0]! }),
        /bootstrap\.channels: name "deepseek" appears more than once/,
      ],
      [
        'a duplicate api key name',
        (config) => config.api_keys!.push({ ...config.api_keys![0]!, key: 'another-secret' }),
        /bootstrap\.api_keys: name "dev" appears more than once/,
      ],
      [
        'a key name the admin API would refuse',
        (config) => (config.api_keys![0]!.name = 'dev key'),
        /bootstrap\.api_keys\[0\] "dev key": name must be 1 to 64 characters/,
      ],
      [
        'a base_url that is not a URL',
        (config) => (config.channels![0]!.base_url = 'api.deepseek.com'),
        /"deepseek": base_url must be an http\(s\) URL/,
      ],
    ];

    it.each(cases)('%s', async (_label, breakIt, message) => {
      const config = sampleBootstrap();
      breakIt(config);
      const attempt = applyBootstrap(dataSource, config, cipher);
      await expect(attempt).rejects.toThrow(BootstrapValidationError);
      await expect(attempt).rejects.toThrow(message);
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM projects`);
      expect(count).toBe(0);
    });

    it('never puts a secret in the message', async () => {
      const config = sampleBootstrap();
      config.api_keys!.push({ name: 'twin', key: CLIENT_SECRET });
      const error: unknown = await applyBootstrap(dataSource, config, cipher).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BootstrapValidationError);
      expect((error as Error).message).toMatch(/two keys have the same secret/);
      expect((error as Error).message).not.toContain(CLIENT_SECRET);
    });
  });

  it('serialises replicas applying the same bootstrap at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => applyBootstrap(dataSource, sampleBootstrap(), cipher)));
    expect(results.filter((result) => result.changed)).toHaveLength(1);
    expect(await dataSource.getRepository(ApiKeyEntity).count()).toBe(1);
  });
});
