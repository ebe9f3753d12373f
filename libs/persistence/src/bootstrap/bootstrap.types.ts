import type { ChannelType, ModelRule } from '@gw/contracts';

/**
 * The `bootstrap:` section of the gateway YAML, field for field (snake_case as written there). Applied at
 * every start; entries are matched by name.
 */
export interface BootstrapConfig {
  channels?: BootstrapChannel[];
  api_keys?: BootstrapApiKey[];
}

export interface BootstrapChannel {
  name: string;
  type?: ChannelType;
  base_url?: string;
  /** Upstream credential; stored encrypted. */
  api_key: string;
  models: string[];
  timeout_ms?: number;
  /** An OpenAI-compatible vendor preset (`deepseek`, `azure-openai`, ...); gives `type` and `base_url` defaults. */
  preset?: string;
  /** The model the profile mapped to → the name this channel's upstream wants. */
  model_map?: Record<string, string>;
  /** Extra request headers; stored encrypted (values may be credentials). */
  headers?: Record<string, string>;
}

export interface BootstrapApiKey {
  name: string;
  /** The secret clients send; stored hashed. */
  key: string;
  /** One of `profiles`' names; absent or null passes model names through. */
  active_profile?: string | null;
  profiles?: BootstrapProfile[];
}

export interface BootstrapProfile {
  name: string;
  rules: ModelRule[];
}

export interface BootstrapResult {
  /** Anything written at all. */
  changed: boolean;
  /** Channels or profiles changed: publish `routing.snapshot.changed`. */
  routingChanged: boolean;
  /** A key was added, re-keyed or its active profile changed: publish `auth.api-key.changed`. */
  apiKeysChanged: boolean;
}
