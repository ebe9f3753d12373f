import { BEARER_AUTH, type RequestQuirks } from './preset';
import { findPreset } from './registry';

/** What a channel stores that decides its upstream request (a `ChannelSnapshot` has these fields). */
export interface ChannelUpstreamFields {
  name: string;
  type: string;
  baseUrl: string;
  apiKey: string;
  preset?: string;
  /** The model the profile mapped to → the name this channel's upstream wants. */
  modelMap?: Readonly<Record<string, string>>;
  /** Extra request headers; their values may be credentials. */
  headers?: Readonly<Record<string, string>>;
}

/** The name this channel's upstream wants for `model` (the model the profile mapped to): its `model_map` entry, or itself. */
export function upstreamModelOf(modelMap: Readonly<Record<string, string>> | undefined, model: string): string {
  return modelMap !== undefined && Object.hasOwn(modelMap, model) ? modelMap[model]! : model;
}

/** Every value of a channel that opens the upstream account: its credential and each extra header value. */
export function channelSecrets(channel: Pick<ChannelUpstreamFields, 'apiKey' | 'headers'>): string[] {
  return [channel.apiKey, ...Object.values(channel.headers ?? {})];
}

/** Where a request goes: undici's `origin` and `path` (path name and query). */
export interface UpstreamTarget {
  origin: string;
  path: string;
}

/** A channel and its preset resolved into what the data plane sends. Built once per channel snapshot. */
export interface ResolvedChannel {
  /** Auth, preset defaults and the channel's extra headers, names lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every value that opens the upstream account: the credential and each extra header value (for redactors). */
  readonly secrets: readonly string[];
  readonly quirks: RequestQuirks;
  /** The URL of a request for `upstreamModel`, given the protocol's own path (`/chat/completions`). */
  target(upstreamModel: string, protocolPath: string): UpstreamTarget;
  upstreamModel(model: string): string;
}

/** A channel names a preset this build does not have (a newer routing service, or a hand-edited row). */
export class UnknownPresetError extends Error {
  constructor(channelName: string, preset: string) {
    super(`channel "${channelName}" names the unknown preset "${preset}"`);
    this.name = 'UnknownPresetError';
  }
}

/** Targets of path-templated channels (Azure: one per deployment) are kept per channel, at most this many. */
const MAX_TARGETS_PER_CHANNEL = 256;

/**
 * Pure: the channel's stored fields and its preset (when it names one) → base URL, path for a model, headers
 * and upstream model name. Presets apply to `openai` channels only (the parser refuses them elsewhere).
 */
export function resolveChannel(channel: ChannelUpstreamFields): ResolvedChannel {
  const preset = channel.preset === undefined ? undefined : findPreset(channel.preset);
  if (channel.preset !== undefined && preset === undefined) throw new UnknownPresetError(channel.name, channel.preset);
  const auth = preset?.auth ?? BEARER_AUTH;
  const extra = lowerCaseNames(channel.headers ?? {});
  const headers: Record<string, string> = { ...lowerCaseNames(preset?.defaultHeaders ?? {}), ...extra };
  headers[auth.header] = auth.scheme + channel.apiKey;

  const base = new URL(channel.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const query = new URLSearchParams(preset?.defaultQuery ?? {});
  // The base URL's own query wins over the preset's (Azure: `?api-version=` picks another version).
  for (const [name, value] of base.searchParams) query.set(name, value);
  const search = query.size === 0 ? '' : `?${query.toString()}`;
  const template = preset?.pathTemplate;
  const targets = new Map<string, UpstreamTarget>();

  return {
    headers,
    secrets: channelSecrets(channel),
    quirks: preset?.quirks ?? {},
    target(upstreamModel, protocolPath) {
      const key = template === undefined ? protocolPath : upstreamModel;
      let target = targets.get(key);
      if (target === undefined) {
        const path = template === undefined ? protocolPath : template.replaceAll('{model}', encodeURIComponent(upstreamModel));
        target = { origin: base.origin, path: basePath + path + search };
        if (targets.size >= MAX_TARGETS_PER_CHANNEL) targets.clear();
        targets.set(key, target);
      }
      return target;
    },
    upstreamModel: (model) => upstreamModelOf(channel.modelMap, model),
  };
}

function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
