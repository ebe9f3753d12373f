export type ChannelType = 'openai' | 'openai-responses';

export const CHANNEL_TYPES: readonly ChannelType[] = ['openai', 'openai-responses'];

export interface ModelRule {
  /** Exact model name, or an anchored regex when it contains regex syntax. */
  from: string;
  to: string;
}

export interface ModelProfile {
  name: string;
  rules: ModelRule[];
}

export interface ChannelSnapshot {
  id: string;
  name: string;
  type: ChannelType;
  baseUrl: string;
  /**
   * Upstream credential, decrypted by the routing service for the data plane. It crosses the bus and
   * sits in ingress memory; never in logs, spans or Redis.
   */
  apiKey: string;
  models: string[];
  timeoutMs?: number;
}

/** Everything ingress needs to route without a network hop. Versioned so stale copies are detectable. */
export interface RoutingSnapshot {
  version: number;
  channels: ChannelSnapshot[];
  /** Profiles by API key id. */
  profiles: Record<string, ModelProfile[]>;
  /**
   * Projects whose `capture_bodies` overrides `server.trace.capture.enabled`, by project id (others follow
   * the config). In the snapshot so that ingress decides capture without a network hop.
   */
  captureBodies?: Record<string, boolean>;
}

export interface RoutingSnapshotChangedEvent {
  version: number;
}
