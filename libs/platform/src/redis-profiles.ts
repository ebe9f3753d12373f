import type Redis from 'ioredis';
import type { ModelProfile } from '@gw/contracts';

/**
 * Stores unless Redis holds a newer version (two snapshot builds of the routing service can finish out of
 * order), or this one already: every snapshot request stores, and most find it there.
 */
const WRITE_UNLESS_NEWER = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version'))
local mine = tonumber(ARGV[1])
if stored and stored > mine then return 0 end
if stored == mine then return 1 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'profiles', ARGV[2])
return 1`;

/**
 * The credential-free part of the routing snapshot in Redis (ADR 0016): every key's profiles, under the
 * snapshot version they belong to, in the hash `<prefix>routing:profiles` (`version`, `profiles`). The
 * routing service writes it; ingress reads it. Channels never go here: they carry upstream credentials.
 */
export class RedisProfiles {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
  ) {
    this.key = `${keyPrefix}routing:profiles`;
  }

  /** True when Redis now holds `version` (false: it already held a newer one). */
  async write(version: number, profiles: Record<string, ModelProfile[]>): Promise<boolean> {
    return (await this.redis.eval(WRITE_UNLESS_NEWER, 1, this.key, String(version), JSON.stringify(profiles))) === 1;
  }

  /** The stored profiles if they are those of `version`; undefined when Redis holds another version or none. */
  async read(version: number): Promise<Record<string, ModelProfile[]> | undefined> {
    const [stored, profiles] = await this.redis.hmget(this.key, 'version', 'profiles');
    if (!stored || !profiles || Number(stored) !== version) return undefined;
    return JSON.parse(profiles) as Record<string, ModelProfile[]>;
  }
}
