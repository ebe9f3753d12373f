import { DataSource, QueryFailedError } from 'typeorm';
import { PERSISTENCE_ENTITIES } from './entities';
import { PERSISTENCE_MIGRATIONS } from './migrations';
import { AdvisoryLockKeys } from './advisory-locks';

export interface DataSourceSettings {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  logging?: boolean;
  /** Pool size; pg's default (10) when absent. */
  poolSize?: number;
}

/** A DataSource with every entity and migration registered. Not initialised; `openDatabase` is the usual entry. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: PERSISTENCE_ENTITIES,
    migrations: PERSISTENCE_MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'all',
    synchronize: false,
    // Generated uuid columns default to gen_random_uuid() (core since PostgreSQL 13), as in the migrations.
    uuidExtension: 'pgcrypto',
    logging: settings.logging ?? false,
    poolSize: settings.poolSize,
  });
}

/** Initialises a DataSource and applies pending migrations. Safe when several processes start at once. */
export async function openDatabase(url: string, settings: Omit<DataSourceSettings, 'url'> = {}): Promise<DataSource> {
  const dataSource = createDataSource({ ...settings, url });
  await dataSource.initialize();
  try {
    await runPendingMigrationsRetryingRaces(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

const MIGRATION_ATTEMPTS = 3;

/**
 * A runner without our advisory lock (an older build, the TypeORM CLI) may create the same objects first.
 * Its transaction commits soon after, and a later pass then finds the migrations applied. More than one
 * retry: the first can fail on the migrations table itself and the second on the schema.
 */
async function runPendingMigrationsRetryingRaces(dataSource: DataSource): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runPendingMigrations(dataSource);
    } catch (error) {
      if (attempt >= MIGRATION_ATTEMPTS || !isConcurrentDdlRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/**
 * TypeORM reads the migrations table before opening its transaction, so two processes can both decide to
 * run the same migration. A session advisory lock held on a separate connection serialises them; the
 * second one then finds everything applied.
 */
async function runPendingMigrations(dataSource: DataSource): Promise<void> {
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [AdvisoryLockKeys.migrations]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lockRunner.query('SELECT pg_advisory_unlock($1)', [AdvisoryLockKeys.migrations]);
    }
  } finally {
    await lockRunner.release();
  }
}

const CONCURRENT_DDL_SQLSTATES = new Set([
  '42P07', // duplicate_table
  '42710', // duplicate_object
  '23505', // unique_violation (pg_type / pg_class catalog rows of a table created concurrently)
  '40P01', // deadlock_detected
]);

function isConcurrentDdlRace(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CONCURRENT_DDL_SQLSTATES.has(code);
}
