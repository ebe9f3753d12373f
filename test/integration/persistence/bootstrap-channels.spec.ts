import type { DataSource } from 'typeorm';
import type { AdminActor } from '@gw/contracts';
import { applyBootstrap, ChannelAdminStore, ChannelEntity, openDatabase, SecretCipher, type BootstrapConfig } from '@gw/persistence';
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
});
