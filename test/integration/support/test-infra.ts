import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';

/** The machine's real services (see the README: tests use them, .ci/run starts any that is down). */
export const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, dropped afterwards: tests never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gw_it_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Distributed-mode config on the real services, with a JetStream stream and subject of its own. */
export function distributedTestConfig(databaseUrl: string, overrides: { redis?: boolean } = {}): GatewayConfig {
  const suffix = randomBytes(4).toString('hex');
  const config = structuredClone(DEFAULT_CONFIG);
  config.server.port = 0;
  config.server.host = '127.0.0.1';
  config.data_dir = mkdtempSync(join(tmpdir(), 'gw-it-'));
  config.db.url = databaseUrl;
  config.nats = { url: NATS_URL, trace_stream: `IT_TRACE_${suffix}`, trace_subject: `it-trace-${suffix}.request.finished` };
  if (overrides.redis !== false) config.redis.url = REDIS_URL;
  // Each test's own Redis keys: another run's change events must not retire this one's cached decisions.
  config.redis.key_prefix = `it-${suffix}:`;
  config.secrets.encryption_key = `it-key-${suffix}`;
  config.log.level = 'error';
  return config;
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!accept(last)) {
    if (Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}
