import { hash } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ClientProxy } from '@nestjs/microservices';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { GatewayConfig } from '@gw/config';
import { AuthSubjects, EVENTS_CLIENT, GATEWAY_CONFIG, REDIS, type VerifiedApiKey, type VerifyApiKeyReply } from '@gw/contracts';
import { GatewayError } from '@gw/ir';
import { MetricsRegistry } from '@gw/metrics';
import { METRICS_REGISTRY } from '@gw/platform';
import { ApiKeyCacheMetrics } from './api-key-cache.metrics';
import { busRequest } from '@gw/transport';

type Decision = { ok: true; key: VerifiedApiKey } | { ok: false };

/** What a client is told when its key could not be checked (not cached, and the auth service did not answer). */
export const AUTH_UNAVAILABLE_MESSAGE = 'The API key could not be verified right now; please try again shortly.';

/**
 * The Redis tier is split into epochs: decisions live under `<prefix>apikey:<epoch>:<sha256>`, and every
 * change event bumps `<prefix>apikey:epoch`, which retires every decision stored before it in one command
 * (no SCAN over the keyspace). A decision is written only if the epoch is still the one read before the
 * auth service was asked, atomically: a replica that has not yet seen a change event cannot put back a
 * decision from before the change once any replica has bumped the epoch. Old epochs expire by their TTL.
 */
const READ_DECISION = `
local epoch = redis.call('GET', KEYS[1]) or '0'
local entry = ARGV[1] .. epoch .. ':' .. ARGV[2]
return {epoch, redis.call('GET', entry), redis.call('PTTL', entry)}`;
const WRITE_DECISION_IF_SAME_EPOCH = `
local epoch = redis.call('GET', KEYS[1]) or '0'
if epoch ~= ARGV[3] then return 0 end
redis.call('SET', ARGV[1] .. epoch .. ':' .. ARGV[2], ARGV[4], 'PX', ARGV[5])
return 1`;

/** What the Redis tier holds for a key: the epoch it was read in, and the decision with its remaining TTL if any. */
interface RedisRead {
  epoch: string;
  decision?: Decision;
  ttlMs: number;
}

/** The last fifth of a key's TTL (12 s of the default 60 s) is its refresh-ahead window. */
const REFRESH_AHEAD_DIVISOR = 5;

/**
 * Key check on the hot path: in-process LRU → Redis (when configured) → auth service over the bus.
 * Entries are keyed by SHA-256 of the secret, so neither tier holds a usable key. Unknown keys are cached
 * briefly too, so a client hammering with a bad key cannot flood the auth service.
 */
@Injectable()
export class ApiKeyResolver {
  private readonly logger = new Logger(ApiKeyResolver.name);
  private readonly cache: LRUCache<string, Decision>;
  private readonly inFlight = new Map<string, Promise<Decision>>();
  /** Bumped by every eviction; a lookup that started before one must not cache its answer. */
  private generation = 0;
  /** A positive entry with less time left than this is refreshed in the background on its next use. */
  private readonly refreshAheadMs: number;
  private readonly metrics: ApiKeyCacheMetrics;
  private readonly redisEntryPrefix: string;
  private readonly redisEpochKey: string;
  /** Set when a change event could not bump the Redis epoch: Redis is not read again until a bump succeeds. */
  private redisEpochBumpOwed = false;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVENTS_CLIENT) private readonly bus: ClientProxy,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Optional() @Inject(METRICS_REGISTRY) registry: MetricsRegistry = new MetricsRegistry(),
  ) {
    this.metrics = new ApiKeyCacheMetrics(registry);
    this.cache = new LRUCache({ max: config.cache.api_key_max_entries, ttl: config.cache.api_key_ttl_ms });
    this.refreshAheadMs = config.cache.api_key_ttl_ms / REFRESH_AHEAD_DIVISOR;
    this.redisEntryPrefix = `${config.redis.key_prefix}apikey:`;
    this.redisEpochKey = `${this.redisEntryPrefix}epoch`;
  }

  async resolve(secret: string | undefined): Promise<VerifiedApiKey> {
    if (!secret) throw new GatewayError('invalid_api_key', 'Missing API key: send it as "Authorization: Bearer <key>".');
    // One-shot hash: a third of createHash's cost (no Hash object per request).
    const digest = hash('sha256', secret, 'hex');
    const cached = this.cache.get(digest);
    (cached ? this.metrics.memoryHit : this.metrics.memoryMiss).inc();
    if (cached?.ok && this.cache.getRemainingTTL(digest) < this.refreshAheadMs) this.refreshInBackground(digest, secret);
    const decision = cached ?? (await this.resolveMiss(digest, secret));
    if (!decision.ok || hasExpired(decision.key)) throw new GatewayError('invalid_api_key', 'Incorrect API key provided.');
    return decision.key;
  }

  /**
   * A key in use is asked about again shortly before its entry expires, while the cached decision keeps
   * answering: otherwise one request per key and TTL would wait for the auth service (a bus round trip,
   * a database read and a salted-hash check). This never trusts a decision past its TTL; change events
   * still evict at once.
   */
  private refreshInBackground(digest: string, secret: string): void {
    if (this.inFlight.has(digest)) return;
    this.resolveMiss(digest, secret, true).catch((error: unknown) => {
      this.logger.warn(`API key refresh failed (the cached decision stands until it expires): ${describe(error)}`);
    });
  }

  /**
   * Change events (revocation, profile switch) evict every tier; the next request asks the auth service.
   * Lookups that read the old Redis epoch while it was being bumped may have refilled the LRU, hence the
   * second generation bump once the epoch has moved.
   */
  async evictAll(): Promise<void> {
    this.generation++;
    this.cache.clear();
    await this.bumpRedisEpoch();
    this.generation++;
    this.cache.clear();
  }

  private async bumpRedisEpoch(): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.incr(this.redisEpochKey);
      this.redisEpochBumpOwed = false;
    } catch (error) {
      this.redisEpochBumpOwed = true;
      this.logger.warn(`Redis key cache not retired (it is not read until it is): ${describe(error)}`);
    }
  }

  /** `fresh`: ask the auth service even if Redis holds a decision (its copy may be as old as ours). */
  private resolveMiss(digest: string, secret: string, fresh = false): Promise<Decision> {
    // Coalesce concurrent misses for the same key into one lookup.
    let pending = this.inFlight.get(digest);
    if (!pending) {
      pending = this.lookup(digest, secret, fresh).finally(() => this.inFlight.delete(digest));
      this.inFlight.set(digest, pending);
    }
    return pending;
  }

  private async lookup(digest: string, secret: string, fresh: boolean): Promise<Decision> {
    const generation = this.generation;
    // Read even when `fresh`: the epoch read now is the one a write of the auth service's answer must find.
    const fromRedis = await this.readRedis(digest);
    if (!fresh && fromRedis?.decision) {
      this.remember(digest, fromRedis.decision, generation, fromRedis.ttlMs);
      return fromRedis.decision;
    }
    const reply = await this.askAuthService(secret);
    const decision: Decision = reply.ok ? { ok: true, key: reply.key } : { ok: false };
    const ttlMs = decision.ok ? this.config.cache.api_key_ttl_ms : this.config.cache.api_key_negative_ttl_ms;
    if (this.remember(digest, decision, generation, ttlMs) && fromRedis) void this.writeRedis(digest, decision, ttlMs, fromRedis.epoch);
    return decision;
  }

  /**
   * The client is told what happened, not which internal service or subject failed; the log says that.
   * The key is not cached either way: the next request asks again.
   */
  private async askAuthService(secret: string): Promise<VerifyApiKeyReply> {
    try {
      return await busRequest<VerifyApiKeyReply>(this.bus, AuthSubjects.verifyApiKey, { secret });
    } catch (error) {
      this.logger.warn(`API key not verified: ${describe(error)}`);
      throw new GatewayError('service_unavailable', AUTH_UNAVAILABLE_MESSAGE);
    }
  }

  /**
   * Caches a decision unless an eviction happened since the lookup started (it may be stale). A decision
   * read from Redis keeps the TTL it has left there: no tier trusts it longer than the auth service said.
   */
  private remember(digest: string, decision: Decision, generation: number, ttlMs: number): boolean {
    if (generation !== this.generation) return false;
    this.cache.set(digest, decision, { ttl: ttlMs });
    return true;
  }

  /** Undefined without Redis, when it failed, or while a change event's epoch bump is still owed. */
  private async readRedis(digest: string): Promise<RedisRead | undefined> {
    if (!this.redis) return undefined;
    if (this.redisEpochBumpOwed) {
      await this.bumpRedisEpoch();
      if (this.redisEpochBumpOwed) return undefined;
    }
    try {
      const [epoch, stored, ttlMs] = (await this.redis.eval(READ_DECISION, 1, this.redisEpochKey, this.redisEntryPrefix, digest)) as [
        string,
        string | null,
        number,
      ];
      const decision = stored !== null && ttlMs > 0 ? (JSON.parse(stored) as Decision) : undefined;
      (decision ? this.metrics.redisHit : this.metrics.redisMiss).inc();
      return { epoch, decision, ttlMs };
    } catch (error) {
      this.metrics.redisError.inc();
      this.logger.warn(`Redis unavailable for key cache: ${describe(error)}`);
      return undefined;
    }
  }

  private async writeRedis(digest: string, decision: Decision, ttlMs: number, epoch: string): Promise<void> {
    if (!this.redis) return;
    try {
      await this.redis.eval(
        WRITE_DECISION_IF_SAME_EPOCH,
        1,
        this.redisEpochKey,
        this.redisEntryPrefix,
        digest,
        epoch,
        JSON.stringify(decision),
        ttlMs,
      );
    } catch (error) {
      this.logger.warn(`Redis unavailable for key cache: ${describe(error)}`);
    }
  }
}

/** A decision cached before its key's expiry must not outlive it (the auth service refuses it from then on). */
function hasExpired(key: VerifiedApiKey): boolean {
  return typeof key.expiresAtMs === 'number' && key.expiresAtMs <= Date.now();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
