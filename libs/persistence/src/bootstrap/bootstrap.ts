import type { DataSource, EntityManager } from 'typeorm';
import { AdvisoryLockKeys } from '../advisory-locks';
import { ChannelEntity } from '../entities/channel.entity';
import type { SecretCipher } from '../secret-cipher';
import { applyBootstrapKeys } from './bootstrap-keys';
import { validateBootstrap } from './bootstrap-validation';
import type { BootstrapChannel, BootstrapConfig, BootstrapResult } from './bootstrap.types';

export { DEFAULT_PROJECT_NAME } from '../admin/project.store';

/**
 * Makes the database hold what the `bootstrap:` section lists; run at every start. Upserts by name and
 * writes nothing when the data already matches, so `changed` is false on a plain restart. Entries not
 * listed are left alone (they may have been created by an admin), and so is a key's revocation. Keys and
 * profiles are re-applied only when their form in the file differs from the one last applied
 * (`bootstrap_items`), so a change made through the admin API survives restarts with an unchanged file.
 * Throws `BootstrapValidationError` before writing anything when the section is invalid.
 */
export async function applyBootstrap(dataSource: DataSource, bootstrap: BootstrapConfig, cipher: SecretCipher): Promise<BootstrapResult> {
  validateBootstrap(bootstrap);
  return dataSource.transaction(async (manager) => {
    // Replicas start together; without this both would insert the same names and one would fail.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLockKeys.bootstrap]);
    let routingChanged = false;
    for (const channel of bootstrap.channels ?? []) {
      if (await upsertChannel(manager, channel, cipher)) routingChanged = true;
    }
    // Projects, keys and profiles go through the admin API's own commands (bootstrap-keys.ts).
    const keys = await applyBootstrapKeys(manager, bootstrap.api_keys ?? []);
    routingChanged ||= keys.profilesChanged;
    const apiKeysChanged = keys.keysChanged;
    return { changed: keys.projectCreated || routingChanged || apiKeysChanged, routingChanged, apiKeysChanged };
  });
}

async function upsertChannel(manager: EntityManager, channel: BootstrapChannel, cipher: SecretCipher): Promise<boolean> {
  const desired = { type: channel.type, baseUrl: channel.base_url, models: [...channel.models], timeoutMs: channel.timeout_ms ?? null };
  const existing = await manager.findOne(ChannelEntity, { where: { name: channel.name } });
  if (existing === null) {
    await manager.insert(ChannelEntity, { name: channel.name, ...desired, apiKeyEncrypted: cipher.encrypt(channel.api_key) });
    return true;
  }
  // Re-encrypting an unchanged key would change the stored token (fresh IV) and report a false change.
  const apiKeyUnchanged = decryptsTo(cipher, existing.apiKeyEncrypted, channel.api_key);
  const unchanged =
    apiKeyUnchanged &&
    existing.type === desired.type &&
    existing.baseUrl === desired.baseUrl &&
    existing.timeoutMs === desired.timeoutMs &&
    sameJson(existing.models, desired.models);
  if (unchanged) return false;
  await manager.update(
    ChannelEntity,
    { id: existing.id },
    { ...desired, ...(apiKeyUnchanged ? {} : { apiKeyEncrypted: cipher.encrypt(channel.api_key) }) },
  );
  return true;
}

/** A value stored under another encryption key counts as different, so it is re-encrypted with ours. */
function decryptsTo(cipher: SecretCipher, token: string, plain: string): boolean {
  try {
    return cipher.decrypt(token) === plain;
  } catch {
    return false;
  }
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
