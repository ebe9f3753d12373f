import type { DataSource } from 'typeorm';
import type { AdminActor } from '@gw/contracts';
import {
  applyBootstrap,
  bootstrapChannelFields,
  ChannelAdminStore,
  ChannelEntity,
  channelFormHash,
  openDatabase,
  RoutingStore,
  SecretCipher,
  type BootstrapConfig,
} from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

const SECRET = 'sk-upstream-channel-0123456789abcdefXYZW';
const owner: AdminActor = { token_id: 'tok', token_name: 'ops', role: 'owner', project_id: null };

function fileWith(overrides: Partial<NonNullable<BootstrapConfig['channels']>[number]> = {}): BootstrapConfig {
  return {
    channels: [
      {
        name: 'deepseek',
        type: 'openai',
        base_url: 'https://api.deepseek.com/v1',
        api_key: SECRET,
        models: ['deepseek-chat'],
        ...overrides,
      },
    ],
  };
}

describe('bootstrap channels and the admin API (one set of commands, the form rule)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let channels: ChannelAdminStore;
  const cipher = SecretCipher.fromKeyMaterial('bootstrap-channels-spec');

  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await openDatabase(database.url);
    channels = new ChannelAdminStore(dataSource, cipher);
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const stored = async (): Promise<ChannelEntity | null> => dataSource.getRepository(ChannelEntity).findOneBy({ name: 'deepseek' });

  it('writes through the API commands (audited as the config file) and keeps no plaintext credential anywhere', async () => {
    expect((await applyBootstrap(dataSource, fileWith(), cipher)).routingChanged).toBe(true);
    const audit = await dataSource.query(`SELECT actor_name, action, resource_type FROM audit_log WHERE resource_type = 'channel'`);
    expect(audit).toEqual([{ actor_name: 'bootstrap (config.yml)', action: 'channel.create', resource_type: 'channel' }]);
    const everything = JSON.stringify(
      await Promise.all(['channels', 'bootstrap_items', 'audit_log'].map((table) => dataSource.query(`SELECT * FROM ${table}`))),
    );
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(SECRET.slice(0, 24));
    expect(everything).toContain('"last4":"XYZW"');
  });

  it('leaves API changes alone while the file does not change the channel, then re-applies the file’s fields', async () => {
    await applyBootstrap(dataSource, fileWith(), cipher);
    await channels.update({
      actor: owner,
      channel: 'deepseek',
      fields: { models: ['from-api'], enabled: false, api_key: 'sk-from-the-api-000000' },
    });
    expect(await applyBootstrap(dataSource, fileWith(), cipher)).toMatchObject({ changed: false, routingChanged: false });
    expect(await stored()).toMatchObject({ models: ['from-api'], enabled: false });
    expect(cipher.decrypt((await stored())!.apiKeyEncrypted)).toBe('sk-from-the-api-000000');

    expect((await applyBootstrap(dataSource, fileWith({ timeout_ms: 9_000 }), cipher)).routingChanged).toBe(true);
    const reapplied = await stored();
    expect(reapplied).toMatchObject({ models: ['deepseek-chat'], timeoutMs: 9_000, enabled: false });
    expect(cipher.decrypt(reapplied!.apiKeyEncrypted)).toBe(SECRET);
  });

  it('does not recreate a channel the API deleted until the file changes it', async () => {
    await applyBootstrap(dataSource, fileWith(), cipher);
    await channels.delete({ actor: owner, channel: 'deepseek' });
    expect((await applyBootstrap(dataSource, fileWith(), cipher)).changed).toBe(false);
    expect(await stored()).toBeNull();
    await applyBootstrap(dataSource, fileWith({ models: ['deepseek-chat', 'deepseek-reasoner'] }), cipher);
    expect(await stored()).toMatchObject({ models: ['deepseek-chat', 'deepseek-reasoner'], enabled: true });
  });

  it('a channel the file stops listing stays; listed again, it is applied again', async () => {
    await applyBootstrap(dataSource, fileWith(), cipher);
    await channels.update({ actor: owner, channel: 'deepseek', fields: { models: ['from-api'] } });
    expect((await applyBootstrap(dataSource, { channels: [] }, cipher)).changed).toBe(false);
    expect(await stored()).toMatchObject({ models: ['from-api'] });
    await applyBootstrap(dataSource, fileWith(), cipher);
    expect(await stored()).toMatchObject({ models: ['deepseek-chat'] });
  });

  it('refuses a file entry the API would refuse, naming the entry and the field', async () => {
    await expect(applyBootstrap(dataSource, fileWith({ base_url: 'https://user:pw@example.com' }), cipher)).rejects.toThrow(
      /bootstrap\.channels\[0\] "deepseek": base_url must not contain a user name or password/,
    );
    expect(await stored()).toBeNull();
  });

  it('two creations of one name at once: one wins, the other is a 409', async () => {
    const fields = { name: 'twin', type: 'openai', base_url: 'https://example.com/v1', api_key: SECRET, models: ['m'] };
    const outcomes = await Promise.allSettled([channels.create({ actor: owner, fields }), channels.create({ actor: owner, fields })]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code?: string }).code).toBe('conflict');
  });

  describe('presets, model maps and extra headers', () => {
    const HEADER_SECRET = 'proxy-key-0123456789abcdefPQRS';
    const azure = {
      name: 'deepseek',
      preset: 'azure-openai',
      base_url: 'https://my-res.openai.azure.com',
      api_key: SECRET,
      models: ['gpt-4o'],
      model_map: { 'gpt-4o': 'my-azure-deployment' },
      headers: { 'X-Proxy-Key': HEADER_SECRET },
    };

    it('stores header values encrypted (nowhere in plain text), shows them masked, and gives them to the snapshot', async () => {
      await applyBootstrap(dataSource, { channels: [azure] }, cipher);
      const everything = JSON.stringify(
        await Promise.all(['channels', 'bootstrap_items', 'audit_log'].map((table) => dataSource.query(`SELECT * FROM ${table}`))),
      );
      expect(everything).not.toContain(HEADER_SECRET);
      expect(everything).not.toContain(HEADER_SECRET.slice(0, 16));
      expect(await channels.get({ actor: owner, channel: 'deepseek' })).toMatchObject({
        type: 'openai',
        preset: 'azure-openai',
        model_map: { 'gpt-4o': 'my-azure-deployment' },
        api_key: { set: true, last4: 'XYZW' },
        headers: { 'X-Proxy-Key': { set: true, last4: 'PQRS' } },
      });
      const snapshot = await new RoutingStore(dataSource).loadSnapshot(cipher, 1);
      expect(snapshot.channels[0]).toMatchObject({
        preset: 'azure-openai',
        modelMap: { 'gpt-4o': 'my-azure-deployment' },
        headers: { 'X-Proxy-Key': HEADER_SECRET },
      });
    });

    it('a PATCH replaces the headers (an unchanged set is no change), checks the merged channel, and null clears them', async () => {
      await applyBootstrap(dataSource, { channels: [azure] }, cipher);
      const before = await channels.get({ actor: owner, channel: 'deepseek' });
      const same = await channels.update({ actor: owner, channel: 'deepseek', fields: { headers: { 'X-Proxy-Key': HEADER_SECRET } } });
      expect(same.updated_at).toBe(before.updated_at);
      // Azure's credential header cannot be set again by hand, even by a PATCH that names no preset.
      await expect(channels.update({ actor: owner, channel: 'deepseek', fields: { headers: { 'api-key': 'x' } } })).rejects.toMatchObject({
        code: 'invalid_request',
        details: { field: 'headers' },
      });
      // Removing the model a mapping names leaves a mapping that would never be used.
      await expect(channels.update({ actor: owner, channel: 'deepseek', fields: { models: ['gpt-4.1'] } })).rejects.toMatchObject({
        details: { field: 'model_map' },
      });
      const cleared = await channels.update({ actor: owner, channel: 'deepseek', fields: { headers: null, preset: null } });
      expect(cleared).toMatchObject({ headers: {}, preset: null });
      expect((await stored())!.headersEncrypted).toBeNull();
    });

    it('a file without the new fields keeps the form hash it had before they existed (no re-apply on upgrade)', () => {
      const plain = bootstrapChannelFields(fileWith().channels![0]!);
      const form = channelFormHash(plain);
      expect(channelFormHash({ ...plain, preset: null, modelMap: {}, headers: {} })).toBe(form);
      expect(channelFormHash({ ...plain, preset: 'deepseek' })).not.toBe(form);
      expect(channelFormHash({ ...plain, headers: { 'X-A': 'b' } })).not.toBe(form);
    });
  });
});
