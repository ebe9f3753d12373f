import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '@gw/config';
import {
  AuthSubjects,
  DATA_SOURCE,
  EVENTS_CLIENT,
  GATEWAY_CONFIG,
  RoutingSubjects,
  SECRET_CIPHER,
  type RoutingSnapshot,
  type RoutingSnapshotChangedEvent,
} from '@gw/contracts';
import { RoutingStore, applyBootstrap, type BootstrapConfig, type SecretCipher } from '@gw/persistence';
import { setLoggedSecrets } from '@gw/platform';

/**
 * Owns channels and profiles: applies `bootstrap` from config at start (one owner, so two services never
 * race on the same rows) and serves versioned snapshots to ingress.
 */
@Injectable()
export class RoutingSnapshotService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RoutingSnapshotService.name);
  private readonly store: RoutingStore;
  /** Monotonic per process and larger than any earlier process's: ingress only ever moves forward. */
  private version = Date.now();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly events: ClientProxy,
  ) {
    this.store = new RoutingStore(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrap === undefined) return;
    const { changed } = await applyBootstrap(this.dataSource, this.config.bootstrap as BootstrapConfig, this.cipher);
    if (changed) {
      this.logger.log('Bootstrap applied: channels, API keys or profiles changed');
      await this.publishChanged();
    }
  }

  async snapshot(): Promise<RoutingSnapshot> {
    const snapshot = await this.store.loadSnapshot(this.cipher, this.version);
    // The decrypted keys now sit in this process: its log lines must never show them.
    setLoggedSecrets(snapshot.channels.map((channel) => channel.apiKey));
    return snapshot;
  }

  /** Tell every ingress to refetch and evict cached key decisions. Best effort: ingress also polls. */
  async publishChanged(): Promise<void> {
    this.version = Math.max(this.version + 1, Date.now());
    const event: RoutingSnapshotChangedEvent = { version: this.version };
    try {
      await Promise.all([
        lastValueFrom(this.events.emit(RoutingSubjects.snapshotChanged, event), { defaultValue: undefined }),
        lastValueFrom(this.events.emit(AuthSubjects.apiKeyChanged, {}), { defaultValue: undefined }),
      ]);
    } catch (error) {
      this.logger.warn(`Could not publish change events: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
