import { MODELS } from '../../e2e/support/gateway-under-test';

/** The protocol on one side of the gateway: the client's endpoint, or the channel's type. */
export type WireProtocol = 'chat' | 'responses' | 'gemini';

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

const CHANNEL_MODELS: Record<WireProtocol, string> = { chat: MODELS.sdkChat, responses: MODELS.sdkResponses, gemini: MODELS.sdkGemini };

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
      return client === 'chat' ? '/v1/chat/completions' : '/v1/responses';
    },
    upstreamPath: (stream) => {
      if (channel === 'gemini') return `/v1beta/models/${MODELS.geminiUpstream}:${geminiMethod(stream)}`;
      return channel === 'chat' ? '/v1/chat/completions' : '/v1/responses';
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
  if (path.client === 'gemini') return { contents: [{ role: 'user', parts: [{ text: marker }] }] };
  return { model: path.model, stream, input: marker };
}

/** The header that carries the client's gateway key, where the client's protocol puts it. */
export function clientKeyHeader(path: ClientPath, apiKey: string): Record<string, string> {
  return path.client === 'gemini' ? { 'x-goog-api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

/** The header the gateway signs the channel's requests with. */
export function channelKeyHeader(channel: WireProtocol, channelKey: string): Record<string, string> {
  return channel === 'gemini' ? { 'x-goog-api-key': channelKey } : { authorization: `Bearer ${channelKey}` };
}
