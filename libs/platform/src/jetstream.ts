import type { ConsumerConfig, ConsumerUpdateConfig, JetStreamManager, NatsConnection, StreamConfig } from 'nats';
import type { GatewayConfig } from '@gw/config';

/**
 * The NATS client, loaded on first use: only distributed mode talks to NATS, and loading the package at
 * start-up cost an embedded gateway about 12 MB of RSS for nothing (measured with `require`).
 */
export function loadNats(): Promise<typeof import('nats')> {
  natsModule ??= import('nats');
  return natsModule;
}
let natsModule: Promise<typeof import('nats')> | undefined;

const SEVEN_DAYS_NS = 7 * 24 * 3600 * 1e9;

/** Creates (or keeps) the durable stream trace events go to. Idempotent: every process may call it at start. */
export async function ensureTraceStream(jsm: JetStreamManager, gateway: GatewayConfig): Promise<void> {
  const { RetentionPolicy, StorageType } = await loadNats();
  const name = gateway.nats.trace_stream;
  const config = {
    name,
    subjects: [gateway.nats.trace_subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: SEVEN_DAYS_NS,
    // Ingress sets Nats-Msg-Id to the request id: a retried publish is stored once.
    duplicate_window: 120 * 1e9,
  };
  await ensureStream(jsm, config);
}

/**
 * Where the trace service puts the trace events it gives up on (never storable, or still failing after its
 * last attempt), so that they stop being redelivered but are not lost: a stream of their own, kept as long
 * as the trace stream, to inspect or replay. Its subject lies outside the trace subject's namespace, so no
 * trace stream captures it.
 */
export function traceDeadLetter(gateway: GatewayConfig): { stream: string; subject: string } {
  return { stream: `${gateway.nats.trace_stream}_DEAD_LETTER`, subject: `dead-letter.${gateway.nats.trace_subject}` };
}

/** Creates (or keeps) the trace dead-letter stream (`traceDeadLetter`). */
export async function ensureTraceDeadLetterStream(jsm: JetStreamManager, gateway: GatewayConfig): Promise<void> {
  const { RetentionPolicy, StorageType } = await loadNats();
  const { stream, subject } = traceDeadLetter(gateway);
  await ensureStream(jsm, {
    name: stream,
    subjects: [subject],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: SEVEN_DAYS_NS,
    // A dead-letter publish retried after a failure is stored once (its id is the event's stream sequence).
    duplicate_window: 120 * 1e9,
  });
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config);
  } catch {
    await jsm.streams.add(config);
  }
}

/**
 * Creates a durable consumer, or brings one created by an older version to `settings` (only the settings
 * NATS lets an existing consumer change): a deployed stream must recover with the new settings, not keep
 * the ones it started with.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  stream: string,
  fixed: Partial<ConsumerConfig> & { durable_name: string },
  settings: Partial<ConsumerUpdateConfig>,
): Promise<void> {
  const existing = await jsm.consumers.info(stream, fixed.durable_name).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (existing === null) await jsm.consumers.add(stream, { ...fixed, ...settings });
  else await jsm.consumers.update(stream, fixed.durable_name, settings);
}

function isNotFound(error: unknown): boolean {
  const api = (error as { api_error?: { code?: number } } | null)?.api_error;
  return api?.code === 404;
}

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  // Reconnect forever: a NATS restart must not take a service down; nats.js buffers publishes meanwhile.
  const { connect } = await loadNats();
  return connect({ servers: [url], name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
