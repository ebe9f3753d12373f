import { MODELS } from '../../e2e/support/gateway-under-test';

/** The protocol on one side of the gateway: the client's endpoint, or the channel's type. */
export type WireProtocol = 'chat' | 'responses';

/**
 * One way through the gateway: which endpoint the client calls and which channel type serves it. Same
 * protocol on both sides is the pass-through relay; different protocols go through the translating relay.
 * A fault is injected in the CHANNEL's protocol and must come out in the CLIENT's.
 */
export interface ClientPath {
  /** Short id for tables and test names, e.g. `responses>chat`. */
  id: string;
  client: WireProtocol;
  channel: WireProtocol;
  /** The client-facing model the bootstrap profile maps to a channel of this type. */
  model: string;
  /** Path under the gateway's `/v1`. */
  endpoint: '/chat/completions' | '/responses';
  /** Path the gateway calls on the fake upstream. */
  upstreamPath: '/v1/chat/completions' | '/v1/responses';
}

function path(client: WireProtocol, channel: WireProtocol): ClientPath {
  return {
    id: `${client}>${channel}`,
    client,
    channel,
    model: channel === 'chat' ? MODELS.sdkChat : MODELS.sdkResponses,
    endpoint: client === 'chat' ? '/chat/completions' : '/responses',
    upstreamPath: channel === 'chat' ? '/v1/chat/completions' : '/v1/responses',
  };
}

export const CLIENT_PATHS: readonly ClientPath[] = [
  path('chat', 'chat'),
  path('responses', 'responses'),
  path('responses', 'chat'),
  path('chat', 'responses'),
];

export function clientPath(id: string): ClientPath {
  const found = CLIENT_PATHS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`faults: no client path ${id}`);
  return found;
}

/**
 * The smallest request of the client's protocol, carrying `marker` as the user's text: the fake upstream
 * finds the fault to play by it (the marker survives both the pass-through and the translation).
 */
export function clientRequestBody(path: ClientPath, marker: string, stream: boolean): Record<string, unknown> {
  if (path.client === 'chat') return { model: path.model, stream, messages: [{ role: 'user', content: marker }] };
  return { model: path.model, stream, input: marker };
}
