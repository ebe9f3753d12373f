/** The upstream protocol of a channel: OpenAI Chat Completions, OpenAI Responses, Gemini's Generative Language API. */
export type ChannelType = 'openai' | 'openai-responses' | 'gemini';

export const CHANNEL_TYPES: readonly ChannelType[] = ['openai', 'openai-responses', 'gemini'];

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
  /** An OpenAI-compatible vendor preset (`@gw/providers`): base URL default, auth style, path, quirks. */
  preset?: string;
  /** The model the profile mapped to → the name this channel's upstream wants (e.g. an Azure deployment). */
  modelMap?: Record<string, string>;
  /**
   * Extra request headers, decrypted like `apiKey` and as secret: their values may be credentials, so they are
   * never logged and redact every answer of the channel.
   */
  headers?: Record<string, string>;
}

/** Everything ingress needs to route without a network hop. Versioned so stale copies are detectable. */
export interface RoutingSnapshot {
  version: number;
  /**
   * The version at which the channels last changed (set by the routing service): a change event that
   * touched only profiles names it, so an ingress knows whether the channels it holds are still current.
   */
  channelsVersion?: number;
  channels: ChannelSnapshot[];
  /** Profiles by API key id. */
  profiles: Record<string, ModelProfile[]>;
  /**
   * Projects whose `capture_bodies` overrides `server.trace.capture.enabled`, by project id (others follow
   * the config). In the snapshot so that ingress decides capture without a network hop.
   */
  captureBodies?: Record<string, boolean>;
}

/** Request of `routing.snapshot.get`. */
export interface GetRoutingSnapshotRequest {
  /** The asker reads profiles from Redis: leave them out of the reply when Redis holds this very version. */
  profilesFromRedis?: boolean;
}

/** Reply of `routing.snapshot.get` when the profiles were left in Redis (ADR 0016). */
export interface RoutingSnapshotWithoutProfiles extends Omit<RoutingSnapshot, 'profiles'> {
  profilesInRedis: true;
}

export type RoutingSnapshotReply = RoutingSnapshot | RoutingSnapshotWithoutProfiles;

export interface RoutingSnapshotChangedEvent {
  version: number;
  /**
   * Only profiles changed, Redis holds them under `version`, and the channels are those of
   * `channelsVersion`: an ingress holding that channels version reads the profiles from Redis instead of
   * asking the routing service for the whole snapshot (with every channel credential).
   */
  profilesOnly?: { channelsVersion: number };
}
