import type { ChannelType } from '@gw/contracts';
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
  geminiClientWire,
];

/** One per channel type. */
export const upstreamWires: readonly UpstreamWire[] = [openAiChatUpstreamWire, openAiResponsesUpstreamWire, geminiUpstreamWire];

const upstreamByType = new Map<ChannelType, UpstreamWire>(upstreamWires.map((wire) => [wire.channelType, wire]));

/** The wire of a channel's type. Channel types are validated where channels are written, so one always exists. */
export function upstreamWireFor(type: ChannelType): UpstreamWire {
  const wire = upstreamByType.get(type);
  if (wire === undefined) throw new Error(`No upstream wire for channel type ${type}`);
  return wire;
}
