import { DataSource, EntityManager } from 'typeorm';

/**
 * What an admin store runs on: the data source (each command its own transaction), or the entity manager of
 * a transaction already open, where each command runs in a savepoint. Bootstrap uses the latter to apply the
 * whole `config.yml` with the admin API's own commands, in one transaction under its advisory lock.
 */
export type StoreDb = DataSource | EntityManager;

export function inTransaction<T>(db: StoreDb, run: (manager: EntityManager) => Promise<T>): Promise<T> {
  return db instanceof EntityManager ? db.transaction(run) : db.transaction(run);
}

export function managerOf(db: StoreDb): EntityManager {
  return db instanceof EntityManager ? db : db.manager;
}

export function dataSourceOf(db: StoreDb): DataSource {
  return db instanceof EntityManager ? db.connection : db;
}
