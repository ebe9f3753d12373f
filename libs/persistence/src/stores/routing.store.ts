import type { DataSource } from 'typeorm';
import type { ChannelSnapshot, ModelProfile, RoutingSnapshot } from '@gw/contracts';
import { ChannelEntity } from '../entities/channel.entity';
import { ModelProfileEntity } from '../entities/model-profile.entity';
import type { SecretCipher } from '../secret-cipher';
import { decryptHeadersOrNull } from '../admin/channel-admin.store';

/** The routing service's source for the snapshot ingress routes with. */
export class RoutingStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Enabled channels (credentials decrypted) and the profiles of every non-revoked key. Ordered by name so
   * two loads of the same data are identical.
   */
  async loadSnapshot(cipher: SecretCipher, version: number): Promise<RoutingSnapshot> {
    const [channels, profiles, captureBodies] = await Promise.all([
      this.dataSource.getRepository(ChannelEntity).find({ where: { enabled: true }, order: { name: 'ASC' } }),
      this.loadProfiles(),
      this.captureOverrides(),
    ]);
    return { version, channels: channels.map((channel) => toChannelSnapshot(channel, cipher)), profiles, captureBodies };
  }

  /** The profiles of every non-revoked key, without touching channels (no credential is decrypted). */
  async loadProfiles(): Promise<Record<string, ModelProfile[]>> {
    const profiles = await this.dataSource
      .getRepository(ModelProfileEntity)
      .createQueryBuilder('profile')
      .innerJoin('profile.apiKey', 'apiKey')
      .where('apiKey.revokedAt IS NULL')
      .orderBy('profile.apiKeyId', 'ASC')
      .addOrderBy('profile.name', 'ASC')
      .getMany();
    return groupByApiKey(profiles);
  }

  /** Projects whose `capture_bodies` is set (true or false); the others follow the config. */
  private async captureOverrides(): Promise<Record<string, boolean>> {
    const rows = await this.dataSource.query<{ id: string; capture_bodies: boolean }[]>(
      `SELECT id, capture_bodies FROM projects WHERE capture_bodies IS NOT NULL ORDER BY id`,
    );
    return Object.fromEntries(rows.map((row) => [row.id, row.capture_bodies]));
  }
}

function toChannelSnapshot(channel: ChannelEntity, cipher: SecretCipher): ChannelSnapshot {
  let apiKey: string;
  try {
    apiKey = cipher.decrypt(channel.apiKeyEncrypted);
  } catch (error) {
    throw new Error(`channel "${channel.name}": cannot read its stored api key: ${(error as Error).message}`);
  }
  const snapshot: ChannelSnapshot = {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    apiKey,
    models: channel.models,
  };
  if (channel.timeoutMs !== null) snapshot.timeoutMs = channel.timeoutMs;
  if (channel.preset !== null) snapshot.preset = channel.preset;
  if (Object.keys(channel.modelMap).length > 0) snapshot.modelMap = channel.modelMap;
  const headers = decryptHeadersOrNull(cipher, channel.headersEncrypted);
  if (headers === null) throw new Error(`channel "${channel.name}": cannot read its stored headers: wrong encryption key`);
  if (Object.keys(headers).length > 0) snapshot.headers = headers;
  return snapshot;
}

function groupByApiKey(profiles: ModelProfileEntity[]): Record<string, ModelProfile[]> {
  const grouped: Record<string, ModelProfile[]> = {};
  for (const profile of profiles) {
    (grouped[profile.apiKeyId] ??= []).push({ name: profile.name, rules: profile.rules });
  }
  return grouped;
}
