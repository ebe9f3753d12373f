import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelType } from '@gw/contracts';
import { anthropicClientWire, anthropicUpstreamWire } from '@gw/protocol-anthropic-messages';
import { geminiClientWire, geminiUpstreamWire } from '@gw/protocol-gemini';
import { openAiChatClientWire, openAiChatUpstreamWire, openAiEmbeddingsClientWire } from '@gw/protocol-openai-chat';
import { openAiResponsesClientWire, openAiResponsesUpstreamWire } from '@gw/protocol-openai-responses';
import type { ClientWire, UpstreamWire } from '@gw/wire';

/**
 * The protocols the gateway speaks, each a lib's wire (see @gw/wire). The apps know nothing
 * protocol-specific beyond these lists: a new protocol is its lib and one line in each list it takes part in.
 */
export const clientWires: readonly ClientWire[] = [
  openAiChatClientWire,
  openAiResponsesClientWire,
  openAiEmbeddingsClientWire,
  anthropicClientWire,
  geminiClientWire,
];

/** One per channel type. */
export const upstreamWires: readonly UpstreamWire[] = [
  openAiChatUpstreamWire,
  openAiResponsesUpstreamWire,
  anthropicUpstreamWire,
  geminiUpstreamWire,
];

const upstreamByType = new Map<ChannelType, UpstreamWire>(upstreamWires.map((wire) => [wire.channelType, wire]));

/** The wire of a channel's type. Channel types are validated where channels are written, so one always exists. */
export function upstreamWireFor(type: ChannelType): UpstreamWire {
  const wire = upstreamByType.get(type);
  if (wire === undefined) throw new Error(`No upstream wire for channel type ${type}`);
  return wire;
}

/**
 * The protocol a model-list request (`GET {prefix}/models[/{id}]`) is answered in. Where one protocol lists
 * under the prefix, that one; where several do (`/v1`: OpenAI, Anthropic, Gemini), the first whose clients'
 * marks the request carries (`ModelCatalogShape.claims`), else the one that claims nothing (OpenAI). ADR 0025.
 */
export function modelCatalogWireFor(prefix: string, headers: IncomingHttpHeaders, query: URLSearchParams): ClientWire | undefined {
  const listing = clientWires.filter((wire) => wire.models?.prefixes.includes(prefix) === true);
  if (listing.length <= 1) return listing[0];
  return (
    listing.find((wire) => wire.models?.claims?.(headers, query) === true) ?? listing.find((wire) => wire.models?.claims === undefined)
  );
}
