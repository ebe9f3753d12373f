import { MODELS } from '../../e2e/support/gateway-under-test';

/** The protocol on one side of the gateway: the client's endpoint, or the channel's type. */
export type WireProtocol = 'chat' | 'responses' | 'anthropic' | 'gemini';

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
  /** Path under the gateway's origin (Gemini names the model and the stream in it). */
  endpoint(stream: boolean): string;
  /** Path the gateway calls on the fake upstream. */
  upstreamPath(stream: boolean): string;
}

const CHANNEL_MODELS: Record<WireProtocol, string> = {
  chat: MODELS.sdkChat,
  responses: MODELS.sdkResponses,
  anthropic: MODELS.sdkAnthropic,
  gemini: MODELS.sdkGemini,
};
/** The paths of the protocols that name neither the model nor the stream in them. */
const FIXED_PATHS = { chat: '/v1/chat/completions', responses: '/v1/responses', anthropic: '/v1/messages' } as const;

function geminiMethod(stream: boolean): string {
  return stream ? 'streamGenerateContent' : 'generateContent';
}

function path(client: WireProtocol, channel: WireProtocol): ClientPath {
  const model = CHANNEL_MODELS[channel];
  return {
    id: `${client}>${channel}`,
    client,
    channel,
    model,
    endpoint: (stream) => {
      if (client === 'gemini') return `/v1beta/models/${model}:${geminiMethod(stream)}${stream ? '?alt=sse' : ''}`;
      return FIXED_PATHS[client];
    },
    upstreamPath: (stream) => {
      if (channel === 'gemini') return `/v1beta/models/${MODELS.geminiUpstream}:${geminiMethod(stream)}`;
      return FIXED_PATHS[channel];
    },
  };
}

export const CLIENT_PATHS: readonly ClientPath[] = [
  path('chat', 'chat'),
  path('responses', 'responses'),
  path('responses', 'chat'),
  path('chat', 'responses'),
  path('gemini', 'gemini'),
  path('gemini', 'chat'),
  path('chat', 'gemini'),
  path('responses', 'gemini'),
];

/**
 * Anthropic Messages on either side: the pass-through, an Anthropic client on a Chat channel, and OpenAI
 * clients on an Anthropic channel (the fault then comes in Anthropic's dialect). Not in the load runs.
 */
export const ANTHROPIC_PATHS: readonly ClientPath[] = [
  path('anthropic', 'anthropic'),
  path('anthropic', 'chat'),
  path('chat', 'anthropic'),
  path('responses', 'anthropic'),
];

/** Every path the fault matrix crosses. */
export const FAULT_PATHS: readonly ClientPath[] = [...CLIENT_PATHS, ...ANTHROPIC_PATHS];

export function clientPath(id: string): ClientPath {
  const found = FAULT_PATHS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`faults: no client path ${id}`);
  return found;
}

/**
 * The smallest request of the client's protocol, carrying `marker` as the user's text: the fake upstream
 * finds the fault to play by it (the marker survives both the pass-through and the translation).
 */
export function clientRequestBody(path: ClientPath, marker: string, stream: boolean): Record<string, unknown> {
  if (path.client === 'chat') return { model: path.model, stream, messages: [{ role: 'user', content: marker }] };
  if (path.client === 'gemini') return { contents: [{ role: 'user', parts: [{ text: marker }] }] };
  if (path.client === 'anthropic') return { model: path.model, stream, max_tokens: 64, messages: [{ role: 'user', content: marker }] };
  return { model: path.model, stream, input: marker };
}

/** The header that carries the client's gateway key, where the client's protocol puts it. */
export function clientKeyHeader(path: ClientPath, apiKey: string): Record<string, string> {
  return path.client === 'gemini' ? { 'x-goog-api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

/** The header the gateway signs the channel's requests with. */
export function channelKeyHeader(channel: WireProtocol, channelKey: string): Record<string, string> {
  if (channel === 'anthropic') return { 'x-api-key': channelKey };
  return channel === 'gemini' ? { 'x-goog-api-key': channelKey } : { authorization: `Bearer ${channelKey}` };
}
