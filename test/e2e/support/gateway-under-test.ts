import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { connect as connectNats } from 'nats';
import { createTestDatabase, NATS_URL, REDIS_URL, type TestDatabase } from '../../integration/support/test-infra';
import type { FakeUpstream } from '../../support/fake-upstream';
import { getFreePort } from '../../support/ports';
import { startProcess, type ManagedProcess, type ProcessExit } from '../../support/process';

/**
 * Starts the BUILT gateway (`dist/`, from `npm run build`) as real processes over real HTTP, with every
 * channel pointing at the fake upstream: one process in embedded mode, four in distributed mode.
 */

/** The checkout: the nearest folder up with a package.json (this file also runs compiled, from dist/fuzz/). */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let folder = from; folder !== dirname(folder); folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
  }
  throw new Error(`e2e: no package.json above ${from}`);
}

/** Client-facing model names of the bootstrap profile, and what each is mapped to. */
export const MODELS = {
  /** What Codex asks for (the config users paste), mapped to the Chat Completions channel. */
  codex: 'gpt-5',
  /** A model name Codex's catalog marks for its newer request shape (tools in an `additional_tools` input item). */
  codexAdditionalTools: 'gpt-5.6-terra',
  chatUpstream: 'deepseek-chat',
  /** openai SDK names, one per channel type. */
  sdkChat: 'sdk-chat',
  sdkResponses: 'sdk-responses',
  responsesUpstream: 'gpt-4.1-nano-responses',
  /** Served by a channel with a short `timeout_ms`. */
  slow: 'slow-model',
  slowUpstream: 'slow-upstream-model',
  /** The `gemini` channel's model (the recordings' `modelVersion`). */
  geminiUpstream: 'gemini-3-pro-preview',
  /** What the @google/genai SDK asks for: mapped to the Gemini channel (pass-through) and to the Chat channel (translated). */
  genaiGemini: 'genai-gemini',
  genaiChat: 'genai-chat',
  /** The openai SDK's name for the Gemini channel. */
  sdkGemini: 'sdk-gemini',
  /** Codex's names for the Gemini channel: an ordinary one, and one of the names its catalog gives the `additional_tools` shape. */
  codexGemini: 'codex-gemini',
  codexGeminiAdditionalTools: 'gpt-5.6-sol',
} as const;

/** A second profile of the bootstrap key, never active: for `AH-Profile` tests. */
export const ALTERNATE_PROFILE = 'e2e-alternate';

/** Small enough to test a 413 cheaply; Codex's first request (~46 KB) must fit. */
export const BODY_LIMIT_BYTES = 256 * 1024;
export const SLOW_CHANNEL_TIMEOUT_MS = 800;

export interface RequestLogRow {
  request_id: string;
  conversation_key: string | null;
  conversation_source: string | null;
  thread_key: string | null;
  client_protocol: string;
  endpoint: string;
  stream: boolean;
  requested_model: string | null;
  mapped_model: string | null;
  channel_name: string | null;
  status: number;
  error_code: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  total_tokens: number | null;
  warnings: string[];
}

export interface GatewayUnderTest {
  mode: 'embedded' | 'distributed';
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `origin` + `/v1`, the base URL clients are given. */
  baseUrl: string;
  /** The bootstrap API key clients send. */
  apiKey: string;
  /** Upstream credentials of the channels (must never reach a client). */
  channelKeys: { chat: string; responses: string; slow: string; gemini: string };
  channelNames: { chat: string; responses: string; slow: string; gemini: string };
  /** The gateway's PostgreSQL, for queries the helpers here do not cover (every column of a row). */
  databaseUrl(): Promise<string>;
  /** Request-log rows in the gateway's database. */
  requestLogs(where: { conversationKey?: string; requestId?: string }): Promise<RequestLogRow[]>;
  /** Output of every process, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The tests run the build; they never build it themselves (`npm run test:e2e` builds first). */
export function builtEntryPoint(app: 'gateway' | 'auth' | 'routing' | 'trace' | 'ingress'): string {
  const entry = join(REPO_ROOT, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) {
    throw new Error(
      `e2e: ${entry} is missing. The end-to-end tests run the built gateway: run \`npm run build\` first (\`npm run test:e2e\` does both).`,
    );
  }
  return entry;
}

interface Fixture {
  apiKey: string;
  channelKeys: GatewayUnderTest['channelKeys'];
  channelNames: GatewayUnderTest['channelNames'];
}

/** Extra settings for the gateway under test, merged over the test's own config (e.g. short upstream timeouts). */
export interface GatewayStartOptions {
  /** Config sections, merged key by key into the generated config file: `{ upstream: { body_timeout_ms: 1500 } }`. */
  config?: Record<string, Record<string, unknown>>;
}

/**
 * A channel key shaped like OpenAI's project keys (`sk-proj-` and 40 random letters and digits): no test
 * text or recording contains one by chance, so finding it (or a piece of it) anywhere is a leak.
 */
function realisticChannelKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `sk-proj-${Array.from(randomBytes(40), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** A key shaped like Google's API keys (`AIza` and 35 letters, digits, `-` and `_`). */
function realisticGoogleKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `AIza${Array.from(randomBytes(35), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function newFixture(mode: string): Fixture {
  const hex = (): string => randomBytes(8).toString('hex');
  return {
    apiKey: `sk-e2e-${mode}-${hex()}`,
    channelKeys: {
      chat: realisticChannelKey(),
      responses: realisticChannelKey(),
      slow: realisticChannelKey(),
      gemini: realisticGoogleKey(),
    },
    channelNames: { chat: 'fake-deepseek-chat', responses: 'fake-openai-responses', slow: 'fake-slow-chat', gemini: 'fake-gemini' },
  };
}

function bootstrapSection(fixture: Fixture, upstream: FakeUpstream): Record<string, unknown> {
  return {
    channels: [
      {
        name: fixture.channelNames.chat,
        type: 'openai',
        base_url: upstream.url,
        api_key: fixture.channelKeys.chat,
        models: [MODELS.chatUpstream],
      },
      {
        name: fixture.channelNames.responses,
        type: 'openai-responses',
        base_url: upstream.url,
        api_key: fixture.channelKeys.responses,
        models: [MODELS.responsesUpstream],
      },
      {
        name: fixture.channelNames.slow,
        type: 'openai',
        base_url: upstream.url,
        api_key: fixture.channelKeys.slow,
        models: [MODELS.slowUpstream],
        timeout_ms: SLOW_CHANNEL_TIMEOUT_MS,
      },
      {
        name: fixture.channelNames.gemini,
        type: 'gemini',
        base_url: `${upstream.origin}/v1beta`,
        api_key: fixture.channelKeys.gemini,
        models: [MODELS.geminiUpstream],
      },
    ],
    api_keys: [
      {
        name: 'e2e-client',
        key: fixture.apiKey,
        active_profile: 'e2e-profile',
        profiles: [
          {
            name: 'e2e-profile',
            rules: [
              { from: MODELS.codex, to: MODELS.chatUpstream },
              { from: MODELS.codexAdditionalTools, to: MODELS.chatUpstream },
              { from: MODELS.sdkChat, to: MODELS.chatUpstream },
              { from: MODELS.sdkResponses, to: MODELS.responsesUpstream },
              { from: MODELS.slow, to: MODELS.slowUpstream },
              { from: MODELS.genaiGemini, to: MODELS.geminiUpstream },
              { from: MODELS.genaiChat, to: MODELS.chatUpstream },
              { from: MODELS.sdkGemini, to: MODELS.geminiUpstream },
              { from: MODELS.codexGemini, to: MODELS.geminiUpstream },
              { from: MODELS.codexGeminiAdditionalTools, to: MODELS.geminiUpstream },
            ],
          },
          // Not active: chosen per request with `AH-Profile` (maps the Chat SDK's model to the Responses channel).
          { name: ALTERNATE_PROFILE, rules: [{ from: MODELS.sdkChat, to: MODELS.responsesUpstream }] },
        ],
      },
    ],
  };
}

/** JSON is YAML: the config file is written with JSON.stringify. */
async function writeConfig(
  directory: string,
  name: string,
  config: Record<string, unknown>,
  extra: GatewayStartOptions['config'] = {},
): Promise<string> {
  const file = join(directory, name);
  const merged: Record<string, unknown> = { ...config };
  for (const [section, values] of Object.entries(extra)) {
    const own = merged[section];
    merged[section] = { ...(typeof own === 'object' && own !== null ? own : {}), ...values };
  }
  await writeFile(file, JSON.stringify(merged, null, 2));
  return file;
}

async function queryRequestLogs(databaseUrl: string, where: { conversationKey?: string; requestId?: string }): Promise<RequestLogRow[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<RequestLogRow>(
      `SELECT request_id, conversation_key, conversation_source, thread_key, client_protocol, endpoint, stream, requested_model, mapped_model,
              channel_name, status, error_code, input_tokens, output_tokens, total_tokens, warnings
         FROM request_logs
        WHERE ($1::text IS NULL OR conversation_key = $1) AND ($2::text IS NULL OR request_id = $2)
        ORDER BY started_at`,
      [where.conversationKey ?? null, where.requestId ?? null],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

/**
 * Embedded PostgreSQL's URL is not printed: the password is `<data_dir>/pg.password` and the port is
 * line 4 of PostgreSQL's own `<data_dir>/pg/postmaster.pid` (its documented layout).
 */
async function embeddedDatabaseUrl(dataDir: string): Promise<string> {
  const password = (await readFile(join(dataDir, 'pg.password'), 'utf8')).trim();
  const port = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`e2e: no port in ${dataDir}/pg/postmaster.pid`);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/gateway`;
}

export interface EmbeddedGatewayUnderTest extends GatewayUnderTest {
  dataDir: string;
  /** SIGTERM to the gateway process alone (as `kill PID`, systemd or a container stop send it); keeps the data dir. */
  terminate(): Promise<ProcessExit>;
}

export async function startEmbeddedGateway(upstream: FakeUpstream, options: GatewayStartOptions = {}): Promise<EmbeddedGatewayUnderTest> {
  const entry = builtEntryPoint('gateway');
  const fixture = newFixture('embedded');
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-embedded-'));
  const port = await getFreePort();
  const configFile = await writeConfig(
    dataDir,
    'config.yml',
    {
      server: { port, host: '127.0.0.1', body_limit_bytes: BODY_LIMIT_BYTES },
      data_dir: dataDir,
      log: { level: 'warn' },
      bootstrap: bootstrapSection(fixture, upstream),
    },
    options.config,
  );
  const origin = `http://127.0.0.1:${port}`;
  let gateway: ManagedProcess | undefined;
  try {
    gateway = await startProcess({
      name: 'gateway (embedded)',
      args: [entry, '--config', configFile],
      cwd: REPO_ROOT,
      env: { AXONHUB_CONFIG: undefined, AXONHUB_NATS_URL: undefined, AXONHUB_DB_URL: undefined },
      readyUrl: `${origin}/readyz`,
      readyTimeoutMs: 60_000,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = gateway;
  return {
    mode: 'embedded',
    origin,
    baseUrl: `${origin}/v1`,
    ...fixture,
    databaseUrl: () => embeddedDatabaseUrl(dataDir),
    requestLogs: async (where) => queryRequestLogs(await embeddedDatabaseUrl(dataDir), where),
    output: () => running.output(),
    dataDir,
    terminate: async () => {
      process.kill(running.pid, 'SIGTERM');
      return running.exited;
    },
    stop: async () => {
      await running.stop(10_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The four apps of distributed mode, each its own process. */
export type DistributedApp = 'auth' | 'routing' | 'trace' | 'ingress';

export interface DistributedGatewayUnderTest extends GatewayUnderTest {
  /** `redis.key_prefix` of this gateway: its keys in the shared Redis. */
  redisKeyPrefix: string;
  /** The app's current process (the latest one after a restart). */
  service(app: DistributedApp): ManagedProcess;
  /** Sends `signal` to the app's process alone (not its group) and resolves once it has exited: a crash when SIGKILL. */
  kill(app: DistributedApp, signal: NodeJS.Signals): Promise<ProcessExit>;
  /** Starts the app again with the same config; resolves once its process is spawned (ingress: once /readyz answers 200). */
  restart(app: DistributedApp): Promise<ManagedProcess>;
  /**
   * Starts one more ingress replica on a port of its own (same config, same services), resolved once its
   * /readyz answers 200 (`readyz: false`: once it listens, for a replica expected not to be ready).
   */
  addIngressReplica(options?: { readyz?: boolean }): Promise<IngressReplica>;
}

/** An ingress process beside the first one (`DistributedGatewayUnderTest.addIngressReplica`). */
export interface IngressReplica {
  origin: string;
  baseUrl: string;
  process: ManagedProcess;
}

export async function startDistributedGateway(
  upstream: FakeUpstream,
  options: GatewayStartOptions = {},
): Promise<DistributedGatewayUnderTest> {
  const entries: Record<DistributedApp, string> = {
    auth: builtEntryPoint('auth'),
    routing: builtEntryPoint('routing'),
    trace: builtEntryPoint('trace'),
    ingress: builtEntryPoint('ingress'),
  };
  const fixture = newFixture('distributed');
  const suffix = randomBytes(4).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), 'gw-e2e-distributed-'));
  const port = await getFreePort();
  const origin = `http://127.0.0.1:${port}`;
  const traceStream = `E2E_TRACE_${suffix}`;
  const redisKeyPrefix = `e2e-${suffix}:`;
  // Every process ever started, killed ones included: their output still counts (leak checks, failure messages).
  const processes: ManagedProcess[] = [];
  const current = new Map<DistributedApp, ManagedProcess>();
  let database: TestDatabase | undefined;
  let configFile = '';

  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((managed) => managed.stop(10_000)));
    const nats = await connectNats({ servers: [NATS_URL], name: 'e2e-cleanup' }).catch(() => undefined);
    if (nats) {
      await (await nats.jetstreamManager()).streams.delete(traceStream).catch(() => false);
      await nats.close();
    }
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const start = async (app: DistributedApp): Promise<ManagedProcess> => {
    // Ingress retries until routing answers; /readyz is 200 once the routing snapshot (with the bootstrap) is loaded.
    const readyUrl = app === 'ingress' ? `${origin}/readyz` : undefined;
    const env = { AXONHUB_CONFIG: undefined };
    const managed = await startProcess({
      name: app,
      args: [entries[app], '--config', configFile],
      cwd: REPO_ROOT,
      env,
      readyUrl,
      readyTimeoutMs: 60_000,
    });
    processes.push(managed);
    current.set(app, managed);
    return managed;
  };

  try {
    database = await createTestDatabase();
    configFile = await writeConfig(
      dataDir,
      'config.yml',
      {
        server: { port, host: '127.0.0.1', body_limit_bytes: BODY_LIMIT_BYTES },
        data_dir: dataDir,
        log: { level: 'warn' },
        db: { url: database.url },
        nats: { url: NATS_URL, trace_stream: traceStream, trace_subject: `e2e-trace-${suffix}.request.finished` },
        redis: { url: REDIS_URL, key_prefix: redisKeyPrefix },
        secrets: { encryption_key: `e2e-key-${suffix}` },
        bootstrap: bootstrapSection(fixture, upstream),
      },
      options.config,
    );
    const started = await Promise.allSettled([start('auth'), start('routing'), start('trace'), start('ingress')]);
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    for (const managed of processes) {
      if (managed.exit) throw new Error(`e2e: ${managed.name} exited (code ${managed.exit.code}):\n${managed.output().slice(-5_000)}`);
    }
  } catch (error) {
    const outputs = processes.map((managed) => `--- ${managed.name} ---\n${managed.output().slice(-5_000)}`).join('\n');
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${outputs}`);
  }
  const databaseUrl = database.url;
  const service = (app: DistributedApp): ManagedProcess => {
    const managed = current.get(app);
    if (!managed) throw new Error(`e2e: ${app} was never started`);
    return managed;
  };
  return {
    mode: 'distributed',
    redisKeyPrefix,
    origin,
    baseUrl: `${origin}/v1`,
    ...fixture,
    databaseUrl: () => Promise.resolve(databaseUrl),
    requestLogs: (where) => queryRequestLogs(databaseUrl, where),
    output: () => processes.map((managed) => `--- ${managed.name} ---\n${managed.output()}`).join('\n'),
    service,
    kill: async (app, signal) => {
      const managed = service(app);
      if (managed.exit) return managed.exit;
      process.kill(managed.pid, signal);
      return managed.exited;
    },
    restart: start,
    addIngressReplica: async ({ readyz = true } = {}) => {
      const replicaPort = await getFreePort();
      const replicaOrigin = `http://127.0.0.1:${replicaPort}`;
      const managed = await startProcess({
        name: `ingress :${replicaPort}`,
        args: [entries.ingress, '--config', configFile],
        cwd: REPO_ROOT,
        env: { AXONHUB_CONFIG: undefined, AXONHUB_SERVER_PORT: String(replicaPort) },
        readyUrl: `${replicaOrigin}/${readyz ? 'readyz' : 'healthz'}`,
        readyTimeoutMs: 60_000,
      });
      processes.push(managed);
      return { origin: replicaOrigin, baseUrl: `${replicaOrigin}/v1`, process: managed };
    },
    stop,
  };
}
