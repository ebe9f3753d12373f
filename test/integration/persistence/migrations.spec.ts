import { openDatabase, PERSISTENCE_MIGRATIONS } from '@gw/persistence';
import { createTestDatabase, type TestDatabase } from '../support/test-infra';

jest.setTimeout(60_000);

describe('openDatabase migrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await database.drop();
  });

  it('creates every table from an empty database, with the expected keys and indexes', async () => {
    const dataSource = await openDatabase(database.url);
    try {
      const tables: Array<{ table_name: string }> = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.map((row) => row.table_name)).toEqual([
        'admin_tokens',
        'api_keys',
        'audit_log',
        'bootstrap_items',
        'channels',
        'migrations',
        'model_profiles',
        'projects',
        'request_log_bodies',
        'request_logs',
        'user_memberships',
        'users',
      ]);

      const indexes: Array<{ indexname: string; indexdef: string }> = await dataSource.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('api_keys', 'request_logs') ORDER BY indexname`,
      );
      expect(indexes.map((row) => row.indexname)).toEqual([
        'idx_api_keys_key_lookup',
        'idx_request_logs_api_key_started',
        'idx_request_logs_conversation_started',
        'idx_request_logs_project_started',
        'idx_request_logs_started',
        'pk_api_keys',
        'pk_request_logs',
        'uq_api_keys_project_name',
      ]);
      // The lookup prefix may collide between keys: it must not be unique.
      expect(indexes.find((row) => row.indexname === 'idx_api_keys_key_lookup')?.indexdef).not.toMatch(/UNIQUE/);
      expect(indexes.find((row) => row.indexname === 'pk_request_logs')?.indexdef).toMatch(/\(request_id\)/);
      // Keyset pagination (started_at, request_id) behind each equality filter the admin API serves.
      expect(indexes.find((row) => row.indexname === 'idx_request_logs_project_started')?.indexdef).toMatch(
        /\(project_id, started_at, request_id\)/,
      );

      const applied: Array<{ name: string }> = await dataSource.query(`SELECT name FROM migrations ORDER BY id`);
      expect(applied.map((row) => row.name)).toEqual(PERSISTENCE_MIGRATIONS.map((migration) => migration.name));
    } finally {
      await dataSource.destroy();
    }
  });

  it('matches the entities exactly: TypeORM would generate no further migration', async () => {
    const dataSource = await openDatabase(database.url);
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('is idempotent: a second open applies nothing and keeps the data', async () => {
    const first = await openDatabase(database.url);
    await first.query(`INSERT INTO projects (name) VALUES ('survivor')`);
    await first.destroy();

    const second = await openDatabase(database.url);
    try {
      expect(await second.showMigrations()).toBe(false);
      const [{ count }] = await second.query(`SELECT count(*)::int AS count FROM migrations`);
      expect(count).toBe(PERSISTENCE_MIGRATIONS.length);
      const projects: Array<{ name: string }> = await second.query(`SELECT name FROM projects`);
      expect(projects).toEqual([{ name: 'survivor' }]);
    } finally {
      await second.destroy();
    }
  });

  it('lets several processes start at once against an empty database', async () => {
    const dataSources = await Promise.all([openDatabase(database.url), openDatabase(database.url), openDatabase(database.url)]);
    try {
      const [{ count }] = await dataSources[0].query(`SELECT count(*)::int AS count FROM migrations`);
      expect(count).toBe(PERSISTENCE_MIGRATIONS.length);
    } finally {
      await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    }
  });
});
