import type { DataSource, EntityManager } from 'typeorm';
import type {
  AdminActor,
  ChannelCredentialView,
  ChannelRef,
  ChannelTestResult,
  ChannelView,
  CreateChannelCommand,
  UpdateChannelCommand,
} from '@gw/contracts';
import { ChannelEntity } from '../entities/channel.entity';
import type { SecretCipher } from '../secret-cipher';
import { conflict, forbidden, isUniqueViolation, isUuid, notFound, requireObject } from './admin-failure';
import { recordAudit } from './audit.store';
import { checkChannelCombination, maskCredential, parseChannelCreate, parseChannelPatch, type ChannelFields } from './channel-fields';

/**
 * Upstream channels (the routing service's side). Every write returns normally only once it is committed
 * with its audit row; the caller then publishes `routing.snapshot.changed`. The credential is encrypted
 * before it is stored and never leaves in a view: views show `last4` at most.
 */
export class ChannelAdminStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {}

  async list(): Promise<ChannelView[]> {
    const channels = await this.dataSource.getRepository(ChannelEntity).find({ order: { name: 'ASC' } });
    return channels.map((channel) => toChannelView(channel, this.cipher));
  }

  async get(ref: ChannelRef): Promise<ChannelView> {
    return toChannelView(await findChannel(this.dataSource.manager, ref.channel), this.cipher);
  }

  create(command: CreateChannelCommand): Promise<ChannelView> {
    requireGatewayWide(command.actor);
    const fields = parseChannelCreate(requireObject(command.fields, 'The body'));
    return this.write(fields.name, (manager) => createChannel(manager, this.cipher, command.actor, fields));
  }

  update(command: UpdateChannelCommand): Promise<ChannelView> {
    requireGatewayWide(command.actor);
    const patch = parseChannelPatch(requireObject(command.fields, 'The body'));
    return this.write(patch.name, async (manager) => {
      const existing = await findChannel(manager, command.channel, { lock: true });
      return (await updateChannel(manager, this.cipher, command.actor, existing, patch)).view;
    });
  }

  async delete(ref: ChannelRef): Promise<void> {
    requireGatewayWide(ref.actor);
    await this.dataSource.transaction(async (manager) => {
      const channel = await findChannel(manager, ref.channel, { lock: true });
      await manager.delete(ChannelEntity, { id: channel.id });
      await recordAudit(manager, ref.actor, channelChange('channel.delete', channel.id, toChannelView(channel, this.cipher), null));
    });
  }

  /**
   * What a test call needs: the channel, its credential and extra headers in plain text (they stay in the
   * routing service).
   */
  async forTest(ref: ChannelRef): Promise<{ channel: ChannelView; apiKey: string; headers: Record<string, string> }> {
    requireGatewayWide(ref.actor);
    const channel = await findChannel(this.dataSource.manager, ref.channel);
    const apiKey = decryptOrNull(this.cipher, channel.apiKeyEncrypted);
    if (apiKey === null) {
      throw conflict(
        `The stored api_key of channel "${channel.name}" cannot be decrypted with this gateway's encryption key; set api_key again`,
      );
    }
    const headers = decryptHeadersOrNull(this.cipher, channel.headersEncrypted);
    if (headers === null) {
      throw conflict(
        `The stored headers of channel "${channel.name}" cannot be decrypted with this gateway's encryption key; set headers again`,
      );
    }
    return { channel: toChannelView(channel, this.cipher), apiKey, headers };
  }

  /**
   * Keeps the result on the channel (without touching `updated_at`: a test changes nothing) and audits who
   * made the call, which may cost money upstream. A channel deleted meanwhile keeps nothing.
   */
  async recordTest(actor: AdminActor, channelId: string, result: ChannelTestResult): Promise<ChannelView> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('UPDATE "channels" SET "last_test" = $1 WHERE "id" = $2', [JSON.stringify(result), channelId]);
      const channel = await findChannel(manager, channelId);
      await recordAudit(manager, actor, channelChange('channel.test', channel.id, null, result));
      return toChannelView(channel, this.cipher);
    });
  }

  /** A write in a transaction; a name taken meanwhile (the unique constraint) is the same 409 as one taken before. */
  private async write<T>(name: string | undefined, run: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(run);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name ?? '');
      throw error;
    }
  }
}

/**
 * Creates a channel with its audit row: the one command behind `POST /admin/v1/channels` and the
 * `bootstrap:` section's new channels.
 */
export async function createChannel(
  manager: EntityManager,
  cipher: SecretCipher,
  actor: AdminActor,
  fields: ChannelFields,
): Promise<ChannelView> {
  if ((await manager.findOne(ChannelEntity, { where: { name: fields.name } })) !== null) throw nameTaken(fields.name);
  const { apiKey, headers, ...rest } = fields;
  const saved = await manager.save(
    ChannelEntity,
    manager.create(ChannelEntity, {
      ...rest,
      apiKeyEncrypted: cipher.encrypt(apiKey),
      headersEncrypted: encryptHeaders(cipher, headers),
      lastTest: null,
    }),
  );
  const view = toChannelView(saved, cipher);
  await recordAudit(manager, actor, channelChange('channel.create', saved.id, null, view));
  return view;
}

/**
 * Applies a patch with its audit row: the one command behind `PATCH /admin/v1/channels/{channel}` and
 * bootstrap's re-applied channels. Fields equal to the stored ones are not written; with nothing left,
 * nothing is written or audited (`changed` false).
 */
export async function updateChannel(
  manager: EntityManager,
  cipher: SecretCipher,
  actor: AdminActor,
  existing: ChannelEntity,
  patch: Partial<ChannelFields>,
): Promise<{ view: ChannelView; changed: boolean }> {
  const before = toChannelView(existing, cipher);
  const storedHeaders = decryptHeadersOrNull(cipher, existing.headersEncrypted);
  // The rules between fields hold for the channel as it will be: the patch over what is stored.
  checkChannelCombination({
    type: patch.type ?? existing.type,
    preset: patch.preset !== undefined ? patch.preset : existing.preset,
    headers: patch.headers ?? storedHeaders ?? {},
    modelMap: patch.modelMap ?? existing.modelMap,
    models: patch.models ?? existing.models,
  });
  const changes: Partial<ChannelEntity> = {};
  if (patch.name !== undefined && patch.name !== existing.name) {
    const holder = await manager.findOne(ChannelEntity, { where: { name: patch.name } });
    if (holder !== null) throw nameTaken(patch.name);
    changes.name = patch.name;
  }
  if (patch.type !== undefined && patch.type !== existing.type) changes.type = patch.type;
  if (patch.baseUrl !== undefined && patch.baseUrl !== existing.baseUrl) changes.baseUrl = patch.baseUrl;
  if (patch.models !== undefined && JSON.stringify(patch.models) !== JSON.stringify(existing.models)) changes.models = patch.models;
  if (patch.enabled !== undefined && patch.enabled !== existing.enabled) changes.enabled = patch.enabled;
  if (patch.timeoutMs !== undefined && patch.timeoutMs !== existing.timeoutMs) changes.timeoutMs = patch.timeoutMs;
  if (patch.preset !== undefined && patch.preset !== existing.preset) changes.preset = patch.preset;
  if (patch.modelMap !== undefined && !sameRecord(patch.modelMap, existing.modelMap)) changes.modelMap = patch.modelMap;
  // Like the credential: compared in plain text (a fresh IV each time); undecryptable ones count as different.
  if (patch.headers !== undefined && (storedHeaders === null || !sameRecord(patch.headers, storedHeaders))) {
    changes.headersEncrypted = encryptHeaders(cipher, patch.headers);
  }
  // Encryption uses a fresh IV each time: compare the plain texts, or an unchanged key would count as a change.
  if (patch.apiKey !== undefined && !decryptsTo(cipher, existing.apiKeyEncrypted, patch.apiKey)) {
    changes.apiKeyEncrypted = cipher.encrypt(patch.apiKey);
  }
  if (Object.keys(changes).length === 0) return { view: before, changed: false };
  await manager.update(ChannelEntity, { id: existing.id }, changes);
  const saved = await manager.findOneOrFail(ChannelEntity, { where: { id: existing.id } });
  const view = toChannelView(saved, cipher);
  await recordAudit(manager, actor, channelChange('channel.update', saved.id, before, view));
  return { view, changed: true };
}

/** `{channel}` in a path is the id or the name (names are unique; an id-shaped name is found by name too). */
export async function findChannel(manager: EntityManager, idOrName: unknown, options: { lock?: boolean } = {}): Promise<ChannelEntity> {
  const lock = options.lock === true ? { lock: { mode: 'pessimistic_write' as const } } : {};
  let channel: ChannelEntity | null = null;
  if (isUuid(idOrName)) channel = await manager.findOne(ChannelEntity, { where: { id: idOrName }, ...lock });
  if (channel === null && typeof idOrName === 'string' && idOrName !== '') {
    channel = await manager.findOne(ChannelEntity, { where: { name: idOrName }, ...lock });
  }
  if (channel === null) throw notFound(`Channel ${JSON.stringify(String(idOrName))} not found`);
  return channel;
}

export function toChannelView(channel: ChannelEntity, cipher: SecretCipher): ChannelView {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    base_url: channel.baseUrl,
    models: channel.models,
    enabled: channel.enabled,
    timeout_ms: channel.timeoutMs,
    preset: channel.preset,
    model_map: channel.modelMap,
    api_key: maskCredential(decryptOrNull(cipher, channel.apiKeyEncrypted)),
    headers: maskHeaders(decryptHeadersOrNull(cipher, channel.headersEncrypted)),
    last_test: channel.lastTest ?? null,
    created_at: channel.createdAt.toISOString(),
    updated_at: channel.updatedAt.toISOString(),
  };
}

/** Channels serve every project: changing them is for gateway-wide tokens (the role is checked in ingress). */
function requireGatewayWide(actor: AdminActor): void {
  if (actor.project_id !== null)
    throw forbidden('Channels are shared by every project: a token scoped to one project cannot change or test them');
}

/** Audit rows of channels belong to no project: project-scoped tokens, which cannot change channels, do not see them. */
function channelChange(action: string, id: string, before: object | null, after: object | null) {
  return { action, resourceType: 'channel', resourceId: id, projectId: null, before, after };
}

function nameTaken(name: string) {
  return conflict(`A channel named "${name}" already exists`);
}

/** A value stored under another encryption key counts as different, so it is re-encrypted with ours. */
export function decryptsTo(cipher: SecretCipher, token: string, plain: string): boolean {
  return decryptOrNull(cipher, token) === plain;
}

/** Extra headers as one cipher token of their JSON; none is null (nothing to decrypt). */
export function encryptHeaders(cipher: SecretCipher, headers: Record<string, string>): string | null {
  return Object.keys(headers).length === 0 ? null : cipher.encrypt(JSON.stringify(headers));
}

/** The stored extra headers in plain text; null when they cannot be decrypted with this gateway's key. */
export function decryptHeadersOrNull(cipher: SecretCipher, token: string | null): Record<string, string> | null {
  if (token === null) return {};
  const plain = decryptOrNull(cipher, token);
  return plain === null ? null : (JSON.parse(plain) as Record<string, string>);
}

/**
 * Header names with their values masked like the credential. Headers that cannot be decrypted still list, by
 * nothing: their names are inside the cipher text too.
 */
function maskHeaders(headers: Record<string, string> | null): Record<string, ChannelCredentialView> {
  const masked: Record<string, ChannelCredentialView> = {};
  for (const [name, value] of Object.entries(headers ?? {})) masked[name] = maskCredential(value);
  return masked;
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && b[key] === a[key]);
}

/** A credential stored under another encryption key still lists (without last4); routing reports the key problem. */
function decryptOrNull(cipher: SecretCipher, token: string): string | null {
  try {
    return cipher.decrypt(token);
  } catch {
    return null;
  }
}
