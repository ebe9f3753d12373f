import type { ChannelSnapshot, RoutingSnapshot } from '@gw/contracts';
import { upstreamModelOf } from '@gw/providers';
import { CompiledProfile } from './model-profile';

export interface RouteDecision {
  requestedModel: string;
  /** After the key's profile: the name channels list in `models`, and the one request logs record. */
  mappedModel: string;
  /** What the channel's upstream is sent: `mappedModel` through the channel's `model_map` (an Azure deployment). */
  upstreamModel: string;
  channel: ChannelSnapshot;
  profileName: string | null;
}

/**
 * The routing snapshot compiled for the data plane: regexes built once per snapshot version, model →
 * channel index prebuilt. Every lookup is a Map access; nothing here does I/O.
 */
export class RoutingTable {
  private readonly channelsByModel = new Map<string, ChannelSnapshot[]>();
  private readonly profilesByKey = new Map<string, Map<string, CompiledProfile>>();

  constructor(readonly snapshot: RoutingSnapshot) {
    for (const channel of snapshot.channels) {
      for (const model of channel.models) {
        const list = this.channelsByModel.get(model) ?? [];
        list.push(channel);
        this.channelsByModel.set(model, list);
      }
    }
    for (const [apiKeyId, profiles] of Object.entries(snapshot.profiles)) {
      this.profilesByKey.set(apiKeyId, new Map(profiles.map((profile) => [profile.name, new CompiledProfile(profile)])));
    }
  }

  get version(): number {
    return this.snapshot.version;
  }

  profileFor(apiKeyId: string, profileName: string | null): CompiledProfile | undefined {
    return profileName === null ? undefined : this.profilesByKey.get(apiKeyId)?.get(profileName);
  }

  /** Maps the model through the key's active profile and picks the first channel serving the result. */
  route(apiKeyId: string, profileName: string | null, requestedModel: string): RouteDecision | undefined {
    const profile = this.profileFor(apiKeyId, profileName);
    const mappedModel = profile ? profile.map(requestedModel) : requestedModel;
    const channel = this.channelsByModel.get(mappedModel)?.[0];
    if (!channel) return undefined;
    const upstreamModel = upstreamModelOf(channel.modelMap, mappedModel);
    return { requestedModel, mappedModel, upstreamModel, channel, profileName: profile ? profileName : null };
  }

  /** Every model name this key can call: channel models and exact profile sources whose target is served. */
  listModels(apiKeyId: string, profileName: string | null): { id: string; ownedBy: string }[] {
    const profile = this.profileFor(apiKeyId, profileName);
    const candidates = new Set<string>([...(profile?.exactSources() ?? []), ...this.channelsByModel.keys()]);
    const listed: { id: string; ownedBy: string }[] = [];
    for (const name of candidates) {
      const decision = this.route(apiKeyId, profileName, name);
      if (decision) listed.push({ id: name, ownedBy: decision.channel.name });
    }
    return listed.sort((a, b) => a.id.localeCompare(b.id));
  }
}
