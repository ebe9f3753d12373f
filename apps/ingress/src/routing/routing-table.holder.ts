import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type Redis from 'ioredis';
import type { GatewayConfig } from '@gw/config';
import {
  EVENTS_CLIENT,
  GATEWAY_CONFIG,
  REDIS,
  RoutingSubjects,
  type GetRoutingSnapshotRequest,
  type ModelProfile,
  type RoutingSnapshot,
  type RoutingSnapshotChangedEvent,
  type RoutingSnapshotReply,
} from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import { MetricsRegistry } from '@gw/metrics';
import { RoutingTable } from '@gw/routing-core';
import { METRICS_REGISTRY, RedisProfiles, setLoggedSecrets } from '@gw/platform';
import { channelSecrets } from '@gw/providers';
import { busRequest } from '@gw/transport';

/**
 * Ingress's copy of the routing snapshot, compiled into a RoutingTable: every request routes from memory.
 * Loaded at start (retrying until the routing service answers), refreshed on change events and, as a
 * safety net for a missed event, periodically. With Redis, the channels (with their credentials) come from
 * the routing service and every key's profiles from Redis; a change of profiles alone is read from Redis
 * without asking the routing service at all (ADR 0016).
 */
@Injectable()
export class RoutingTableHolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RoutingTableHolder.name);
  private current?: RoutingTable;
  private refreshTimer?: NodeJS.Timeout;
  private readyWaiters: (() => void)[] = [];
  private stopped = false;
  /** When the routing service last delivered the snapshot held (a load or a periodic re-read). */
  private loadedAtMs?: number;
  private readonly redisProfiles?: RedisProfiles;

  constructor(
    @Inject(EVENTS_CLIENT) private readonly bus: ClientProxy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(REDIS) redis: Redis | null,
    @Optional() @Inject(METRICS_REGISTRY) registry: MetricsRegistry = new MetricsRegistry(),
  ) {
    if (redis) this.redisProfiles = new RedisProfiles(redis, config.redis.key_prefix);
    registry.gauge({
      name: 'axonhub_routing_snapshot_version',
      help: 'Version of the routing snapshot this ingress routes with (0 until one is loaded).',
      collect: (gauge) => gauge.labels().set(this.current?.version ?? 0),
    });
    registry.gauge({
      name: 'axonhub_routing_snapshot_age_seconds',
      help: 'Seconds since the routing service last delivered the snapshot; grows past cache.routing_refresh_ms while it does not answer (-1 until loaded).',
      collect: (gauge) => gauge.labels().set(this.loadedAtMs === undefined ? -1 : (Date.now() - this.loadedAtMs) / 1000),
    });
  }

  onApplicationBootstrap(): void {
    void this.loadUntilReady();
    this.refreshTimer = setInterval(() => void this.refresh().catch(() => undefined), this.config.cache.routing_refresh_ms);
    this.refreshTimer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.refreshTimer);
  }

  get isReady(): boolean {
    return this.current !== undefined;
  }

  whenReady(): Promise<void> {
    return this.current ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  table(): RoutingTable {
    if (!this.current) throw new GatewayError('service_unavailable', 'The gateway is starting: routing is not loaded yet.');
    return this.current;
  }

  /** Fetches the snapshot; ignores one older than what we hold (events and polls can cross). */
  async refresh(): Promise<void> {
    const request: GetRoutingSnapshotRequest = { profilesFromRedis: this.redisProfiles !== undefined };
    const reply = await busRequest<RoutingSnapshotReply>(this.bus, RoutingSubjects.getSnapshot, request);
    if (!('profilesInRedis' in reply)) return this.install(reply);
    const profiles = await this.readStoredProfiles(reply.version);
    if (profiles) return this.install({ ...reply, profilesInRedis: undefined, profiles } as RoutingSnapshot);
    // Redis lost them in between (or failed): the profiles come over the bus after all.
    this.install(await busRequest<RoutingSnapshot>(this.bus, RoutingSubjects.getSnapshot, {}));
  }

  /**
   * A change event: when only profiles changed and this replica holds the channels they go with, the new
   * profiles are read from Redis (one read, no credential crosses the bus); otherwise the whole snapshot.
   */
  async onChange(event: RoutingSnapshotChangedEvent | undefined): Promise<void> {
    const channelsVersion = this.current?.snapshot.channelsVersion;
    if (event?.profilesOnly && channelsVersion !== undefined && event.profilesOnly.channelsVersion === channelsVersion) {
      const profiles = await this.readStoredProfiles(event.version);
      // The channels may have moved on while Redis was read; then the whole snapshot is the answer.
      if (profiles && this.current?.snapshot.channelsVersion === channelsVersion) {
        return this.install({ ...this.current.snapshot, version: event.version, profiles });
      }
    }
    await this.refresh();
  }

  private async readStoredProfiles(version: number): Promise<Record<string, ModelProfile[]> | undefined> {
    try {
      return await this.redisProfiles?.read(version);
    } catch (error) {
      this.logger.warn(
        `Profiles not read from Redis (asking the routing service): ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  private install(snapshot: RoutingSnapshot): void {
    if (this.current && snapshot.version < this.current.version) return;
    this.current = new RoutingTable(snapshot);
    this.loadedAtMs = Date.now();
    setLoggedSecrets(snapshot.channels.flatMap(channelSecrets));
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private async loadUntilReady(): Promise<void> {
    let delayMs = 100;
    while (!this.current && !this.stopped) {
      try {
        await this.refresh();
        this.logger.log(`Routing loaded: ${this.table().snapshot.channels.length} channel(s)`);
      } catch (error) {
        this.logger.warn(`Routing service not reachable yet (${error instanceof Error ? error.message : String(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        delayMs = Math.min(delayMs * 2, 2_000);
      }
    }
  }
}
