import type { NatsConnection, JetStreamManager } from 'nats';
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
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch {
    await jsm.streams.add(config);
  }
}

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  // Reconnect forever: a NATS restart must not take a service down; nats.js buffers publishes meanwhile.
  const { connect } = await loadNats();
  return connect({ servers: [url], name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}
