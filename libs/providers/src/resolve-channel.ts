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
export interface UpstreamUrl {
  origin: string;
  path: string;
}

/**
 * What the channel type's protocol does without a preset (its wire, `@gw/wire`): the headers that carry the
 * key (Bearer for the OpenAI protocols). Absent: Bearer.
 */
export interface ProtocolAuth {
  requestHeaders(apiKey: string): Record<string, string>;
}

/** A channel and its preset resolved into what the data plane sends. Built once per channel snapshot. */
export interface ResolvedChannel {
  /** Auth (the preset's, else the protocol's), preset defaults and the channel's extra headers, names lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every value that opens the upstream account: the credential and each extra header value (for redactors). */
  readonly secrets: readonly string[];
  readonly quirks: RequestQuirks;
  /**
   * The URL of a request for `upstreamModel`, given the protocol's own path for it (`/chat/completions`; a query
   * in it is kept). A preset's path template replaces the protocol's path; the query is the protocol's, then
   * the preset's defaults, then the base URL's own, each winning over the one before.
   */
  url(upstreamModel: string, protocolPath: string): UpstreamUrl;
  upstreamModel(model: string): string;
}

/** A channel names a preset this build does not have (a newer routing service, or a hand-edited row). */
export class UnknownPresetError extends Error {
  constructor(channelName: string, preset: string) {
    super(`channel "${channelName}" names the unknown preset "${preset}"`);
    this.name = 'UnknownPresetError';
  }
}

/** URLs are kept per channel (Azure and Gemini: one per model), at most this many. */
const MAX_URLS_PER_CHANNEL = 256;

/**
 * Pure: the channel's stored fields and its preset (when it names one) → base URL, path for a model, headers
 * and upstream model name. Presets apply to `openai` channels only (the parser refuses them elsewhere).
 */
export function resolveChannel(channel: ChannelUpstreamFields, protocol?: ProtocolAuth): ResolvedChannel {
  const preset = channel.preset === undefined ? undefined : findPreset(channel.preset);
  if (channel.preset !== undefined && preset === undefined) throw new UnknownPresetError(channel.name, channel.preset);
  const extra = lowerCaseNames(channel.headers ?? {});
  const style = preset?.auth ?? (protocol === undefined ? BEARER_AUTH : undefined);
  const auth =
    style !== undefined ? { [style.header]: style.scheme + channel.apiKey } : lowerCaseNames(protocol!.requestHeaders(channel.apiKey));
  const headers: Record<string, string> = { ...lowerCaseNames(preset?.defaultHeaders ?? {}), ...extra, ...auth };

  const base = new URL(channel.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const template = preset?.pathTemplate;
  const defaultQuery = Object.entries(preset?.defaultQuery ?? {});
  const urls = new Map<string, UpstreamUrl>();

  return {
    headers,
    secrets: channelSecrets(channel),
    quirks: preset?.quirks ?? {},
    url(upstreamModel, protocolPath) {
      const key = `${upstreamModel}\n${protocolPath}`;
      let url = urls.get(key);
      if (url === undefined) {
        const queryAt = protocolPath.indexOf('?');
        const protocolPathname = queryAt === -1 ? protocolPath : protocolPath.slice(0, queryAt);
        const protocolQuery = queryAt === -1 ? '' : protocolPath.slice(queryAt);
        const pathname = template === undefined ? protocolPathname : template.replaceAll('{model}', encodeURIComponent(upstreamModel));
        let search = protocolQuery;
        if (defaultQuery.length > 0 || base.search !== '') {
          const query = new URLSearchParams(protocolQuery);
          for (const [name, value] of defaultQuery) query.set(name, value);
          // The base URL's own query wins (Azure: `?api-version=` picks another version).
          for (const [name, value] of base.searchParams) query.set(name, value);
          search = `?${query.toString()}`;
        }
        url = { origin: base.origin, path: basePath + pathname + search };
        if (urls.size >= MAX_URLS_PER_CHANNEL) urls.clear();
        urls.set(key, url);
      }
      return url;
    },
    upstreamModel: (model) => upstreamModelOf(channel.modelMap, model),
  };
}

function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
