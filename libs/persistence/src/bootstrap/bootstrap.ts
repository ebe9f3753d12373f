import type { DataSource } from 'typeorm';
import { AdvisoryLockKeys } from '../advisory-locks';
import type { SecretCipher } from '../secret-cipher';
import { applyBootstrapChannels } from './bootstrap-channels';
import { applyBootstrapKeys } from './bootstrap-keys';
import { validateBootstrap } from './bootstrap-validation';
import type { BootstrapConfig, BootstrapResult } from './bootstrap.types';

export { DEFAULT_PROJECT_NAME } from '../admin/project.store';

/**
 * Makes the database hold what the `bootstrap:` section lists; run at every start. Upserts by name and
 * writes nothing when the data already matches, so `changed` is false on a plain restart. Entries not
 * listed are left alone (they may have been created by an admin), and so is a key's revocation. Channels,
 * keys and profiles are re-applied only when their form in the file differs from the one last applied
 * (`bootstrap_items`), so a change made through the admin API survives restarts with an unchanged file.
 * Channels, projects, keys and profiles are written with the admin API's own commands (`applyBootstrapChannels`,
 * `applyBootstrapKeys`).
 * Throws `BootstrapValidationError` before writing anything when the section is invalid.
 */
export async function applyBootstrap(dataSource: DataSource, bootstrap: BootstrapConfig, cipher: SecretCipher): Promise<BootstrapResult> {
  validateBootstrap(bootstrap);
  return dataSource.transaction(async (manager) => {
    // Replicas start together; without this both would insert the same names and one would fail.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLockKeys.bootstrap]);
    let routingChanged = false;
    if (await applyBootstrapChannels(manager, bootstrap.channels ?? [], cipher)) routingChanged = true;
    // Projects, keys and profiles go through the admin API's own commands (bootstrap-keys.ts).
    const keys = await applyBootstrapKeys(manager, bootstrap.api_keys ?? []);
    routingChanged ||= keys.profilesChanged;
    const apiKeysChanged = keys.keysChanged;
    return { changed: keys.projectCreated || routingChanged || apiKeysChanged, routingChanged, apiKeysChanged };
  });
}
