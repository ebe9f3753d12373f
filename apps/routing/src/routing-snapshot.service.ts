import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import {
  AuthSubjects,
  DATA_SOURCE,
  EVENTS_CLIENT,
  GATEWAY_CONFIG,
  REDIS,
  RoutingSubjects,
  SECRET_CIPHER,
  type GetRoutingSnapshotRequest,
  type ModelProfile,
  type RoutingSnapshotChangedEvent,
  type RoutingSnapshotReply,
} from '@gw/contracts';
import { RoutingStore, applyBootstrap, type BootstrapConfig, type SecretCipher } from '@gw/persistence';
import { RedisProfiles, setLoggedSecrets } from '@gw/platform';
import { channelSecrets } from '@gw/providers';

/** What a write changed: only profiles (an ingress keeps its channels and reads them from Redis), or anything. */
export type RoutingChange = 'profiles' | 'everything';

/**
 * Owns channels and profiles: applies `bootstrap` from config at start (one owner, so two services never
 * race on the same rows) and serves versioned snapshots to ingress. With Redis, every key's profiles are
 * also kept there (never the channels: they carry credentials), so a snapshot over NATS carries only the
 * channels and a profile change reaches ingresses without their asking for every credential (ADR 0016).
 */
@Injectable()
export class RoutingSnapshotService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RoutingSnapshotService.name);
  private readonly store: RoutingStore;
  /** Monotonic per process and larger than any earlier process's: ingress only ever moves forward. */
  private version = Date.now();
  /** The version at which channels last changed (or this process started: it cannot know what changed before). */
  private channelsVersion = this.version;
  private readonly redisProfiles?: RedisProfiles;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly events: ClientProxy,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {
    this.store = new RoutingStore(dataSource);
    if (redis) this.redisProfiles = new RedisProfiles(redis, config.redis.key_prefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Without a `bootstrap:` section too: it creates the `default` project, where a newcomer's first key goes.
    const bootstrap = (this.config.bootstrap ?? {}) as BootstrapConfig;
    const { changed } = await applyBootstrap(this.dataSource, bootstrap, this.cipher);
    if (changed) {
      this.logger.log('Bootstrap applied: channels, API keys or profiles changed');
      await this.publishChanged();
    }
  }

  /** Its open connection would keep the process (and a test runner hosting the module) alive. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }

  async snapshot(request: GetRoutingSnapshotRequest = {}): Promise<RoutingSnapshotReply> {
    const channelsVersion = this.channelsVersion;
    const snapshot = { ...(await this.store.loadSnapshot(this.cipher, this.version)), channelsVersion };
    // The decrypted keys and extra header values now sit in this process: its log lines must never show them.
    setLoggedSecrets(snapshot.channels.flatMap(channelSecrets));
    if (request.profilesFromRedis && (await this.storeProfiles(snapshot.version, () => Promise.resolve(snapshot.profiles)))) {
      // Everything but the profiles (they are in Redis): channels, their version, capture overrides.
      return { ...snapshot, profiles: undefined, profilesInRedis: true };
    }
    return snapshot;
  }

  /**
   * Tell every ingress to refetch and evict cached key decisions. Best effort: ingress also polls. A change
   * of profiles alone is stored in Redis first and announced as such: ingresses read it there.
   */
  async publishChanged(change: RoutingChange = 'everything'): Promise<void> {
    this.version = Math.max(this.version + 1, Date.now());
    const event: RoutingSnapshotChangedEvent = { version: this.version };
    if (change === 'everything') this.channelsVersion = this.version;
    else if (await this.storeProfiles(this.version, () => this.store.loadProfiles())) {
      event.profilesOnly = { channelsVersion: this.channelsVersion };
    }
    try {
      await Promise.all([
        lastValueFrom(this.events.emit(RoutingSubjects.snapshotChanged, event), { defaultValue: undefined }),
        lastValueFrom(this.events.emit(AuthSubjects.apiKeyChanged, {}), { defaultValue: undefined }),
      ]);
    } catch (error) {
      this.logger.warn(`Could not publish change events: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Best effort: without Redis (or with a newer version there) the profiles travel in the snapshot. */
  private async storeProfiles(version: number, profiles: () => Promise<Record<string, ModelProfile[]>>): Promise<boolean> {
    if (!this.redisProfiles) return false;
    try {
      return await this.redisProfiles.write(version, await profiles());
    } catch (error) {
      this.logger.warn(`Profiles not stored in Redis (they go over the bus): ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }
}
