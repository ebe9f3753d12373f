import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AdminFailure } from '../admin/admin-failure';
import { createChannel, updateChannel } from '../admin/channel-admin.store';
import { parseChannelCreate, type ChannelFields } from '../admin/channel-fields';
import { BootstrapItemEntity } from '../entities/bootstrap-item.entity';
import { ChannelEntity } from '../entities/channel.entity';
import type { SecretCipher } from '../secret-cipher';
import { CONFIG_FILE_ACTOR } from './bootstrap-actor';
import type { BootstrapChannel } from './bootstrap.types';

const KIND = 'channel';

/**
 * The `bootstrap:` channels, through the admin API's own commands (`createChannel`, `updateChannel`, audited
 * alike). A channel is applied only when its form in the file differs from the form last applied
 * (`bootstrap_items`), so what the admin API did to a channel — an edit, a disabling, a new credential, a
 * deletion — stands until the file changes that very channel. `enabled` is not in the file: re-applying a
 * channel never re-enables it. Channels the file does not list are never touched.
 * Returns whether anything was written (the snapshot must then be republished).
 */
export async function applyBootstrapChannels(manager: EntityManager, channels: BootstrapChannel[], cipher: SecretCipher): Promise<boolean> {
  let changed = false;
  for (const entry of channels) {
    const fields = bootstrapChannelFields(entry);
    const form = channelFormHash(fields);
    const applied = await manager.findOne(BootstrapItemEntity, { where: { kind: KIND, name: fields.name } });
    const existing = await manager.findOne(ChannelEntity, { where: { name: fields.name } });
    if (applied?.formHash === form) {
      // The file did not change it, but a credential stored under a previous encryption key opens nothing
      // (and breaks the snapshot): the file's credential and headers are written again. Nothing else is touched.
      const unreadable =
        existing !== null && (!decryptable(cipher, existing.apiKeyEncrypted) || !decryptable(cipher, existing.headersEncrypted));
      if (existing !== null && unreadable) {
        const repair = { apiKey: fields.apiKey, headers: fields.headers };
        if ((await updateChannel(manager, cipher, CONFIG_FILE_ACTOR, existing, repair)).changed) changed = true;
      }
      continue;
    }
    if (existing === null) {
      await createChannel(manager, cipher, CONFIG_FILE_ACTOR, fields);
      changed = true;
    } else {
      // The file has no opinion on `enabled`: a channel the API disabled stays disabled.
      const patch: Partial<ChannelFields> = { ...fields };
      delete patch.enabled;
      if ((await updateChannel(manager, cipher, CONFIG_FILE_ACTOR, existing, patch)).changed) changed = true;
    }
    await manager.upsert(BootstrapItemEntity, { kind: KIND, name: fields.name, formHash: form }, ['kind', 'name']);
  }
  // A channel the file stops listing stays, but loses its recorded form: listed again, it is applied again.
  const listed = channels.map((entry) => entry.name);
  const stale = await manager.find(BootstrapItemEntity, { where: { kind: KIND } });
  for (const item of stale.filter((row) => !listed.includes(row.name)))
    await manager.delete(BootstrapItemEntity, { kind: KIND, name: item.name });
  return changed;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function decryptable(cipher: SecretCipher, token: string | null): boolean {
  if (token === null) return true;
  try {
    cipher.decrypt(token);
    return true;
  } catch {
    return false;
  }
}

/** The file's entry as the fields the admin API's commands take (validated by the same parser, same rules). */
export function bootstrapChannelFields(entry: BootstrapChannel): ChannelFields {
  const { name, type, base_url, api_key, models, timeout_ms, preset, model_map, headers } = entry;
  const optional = { type, base_url, timeout_ms, preset, model_map, headers };
  const given = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return parseChannelCreate({ name, api_key, models, ...given });
}

/** The refusal of the shared parser in the bootstrap validation's words (never the credential: messages name fields). */
export function bootstrapChannelProblem(entry: BootstrapChannel): string | undefined {
  try {
    bootstrapChannelFields(entry);
    return undefined;
  } catch (error) {
    if (error instanceof AdminFailure) return error.message;
    throw error;
  }
}

/**
 * What the file says about a channel, as a hash. The credential and the extra headers enter as SHA-256s:
 * `bootstrap_items` must hold nothing that opens the upstream account.
 */
export function channelFormHash(fields: ChannelFields): string {
  const form = {
    type: fields.type,
    base_url: fields.baseUrl,
    api_key_sha256: sha256(fields.apiKey),
    models: fields.models,
    timeout_ms: fields.timeoutMs,
    // Only when set: a file without them keeps the hash it had before they existed (no re-apply on upgrade).
    ...(fields.preset === null ? {} : { preset: fields.preset }),
    ...(Object.keys(fields.modelMap).length === 0 ? {} : { model_map: fields.modelMap }),
    ...(Object.keys(fields.headers).length === 0 ? {} : { headers_sha256: sha256(JSON.stringify(fields.headers)) }),
  };
  return createHash('sha256').update(JSON.stringify(form)).digest('hex');
}
