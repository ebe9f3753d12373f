import type { AnswerFacts } from './answer-facts';
import { nativeClientOf, type MatrixClient, type MatrixUpstream } from './protocols';

/** Id prefixes a protocol's clients know as their own; another protocol's prefix in an answer is a leak. */
const OWN_ID_PREFIX: Readonly<Record<string, string>> = {
  'openai-chat': 'chatcmpl',
  'openai-responses': 'resp_',
  'anthropic-messages': 'msg_',
};

export function foreignIdPrefix(client: MatrixClient, id: string): string | undefined {
  return Object.entries(OWN_ID_PREFIX).find(([protocol, prefix]) => protocol !== client.name && id.startsWith(prefix))?.[1];
}

/**
 * What a client protocol has no place for, and so may lose (reported as lossy in the printed matrix, never
 * silently). A protocol not named here is held to everything: a new one must carry it all or say what it drops.
 */
interface ProtocolLimits {
  /** No refusal part: a refusal reaches the client as text. */
  refusalAsText?: true;
  /** No count of reasoning tokens. */
  reasoningTokens?: false;
  /** No count of cache writes. */
  cacheWrites?: false;
  /** No tool-call ids: the client's decoder mints its own. */
  callIds?: false;
  /** No creation time in its answers. */
  created?: false;
}

const LIMITS: Readonly<Record<string, ProtocolLimits>> = {
  'openai-chat': { cacheWrites: false },
  'openai-responses': { cacheWrites: false },
  'anthropic-messages': { refusalAsText: true, reasoningTokens: false },
  gemini: { refusalAsText: true, cacheWrites: false, callIds: false, created: false },
};

/**
 * Compares what the upstream said with what the client read (both as facts); throws on a difference the
 * client's protocol could have carried, returns the labels of what it could not.
 */
export function answerDifferences(
  client: MatrixClient,
  channel: MatrixUpstream,
  upstream: AnswerFacts,
  received: AnswerFacts,
  mode: 'stream' | 'whole',
): string[] {
  const limits = LIMITS[client.name] ?? {};
  const lossy: string[] = [];
  // Opaque reasoning state (a signature, encrypted content) goes back to its issuer only: a client of the
  // channel's own protocol gets all of it (it replays it next turn), other clients none of it.
  if (client.nativeChannelType === channel.channelType) {
    expect(received.reasoningIssuers).toEqual(upstream.reasoningIssuers);
  } else if (upstream.reasoningIssuers.some((issuer) => !received.reasoningIssuers.includes(issuer))) {
    // A protocol with a slot for opaque state carries other issuers' in the gateway's envelope (Anthropic
    // `signature`, Gemini `thoughtSignature`, Responses `encrypted_content`); Chat has no slot.
    lossy.push('reasoning state');
  }
  const usage = (facts: AnswerFacts): Record<string, number> | undefined => {
    if (facts.usage === undefined) return undefined;
    const { inputTokens, outputTokens, totalTokens, cachedInputTokens, cacheWriteInputTokens, reasoningTokens } = facts.usage;
    return {
      inputTokens,
      outputTokens,
      totalTokens,
      cachedInputTokens: cachedInputTokens ?? 0,
      ...(limits.cacheWrites === false ? {} : { cacheWriteInputTokens: cacheWriteInputTokens ?? 0 }),
      ...(limits.reasoningTokens === false ? {} : { reasoningTokens: reasoningTokens ?? 0 }),
    };
  };
  if (limits.cacheWrites === false && (upstream.usage?.cacheWriteInputTokens ?? 0) > 0) lossy.push('cache writes');
  if (limits.reasoningTokens === false && (upstream.usage?.reasoningTokens ?? 0) > 0) lossy.push('reasoning tokens');
  const refusalAsText = limits.refusalAsText === true && upstream.refusal !== '';
  if (refusalAsText) lossy.push('refusal as text');
  // An upstream protocol without call ids (Gemini) has its decoder mint them: the gateway's are random, not the
  // test decoder's, and neither is anything the upstream said.
  const upstreamHasIds = LIMITS[nativeClientOf(channel).name]?.callIds !== false;
  const calls = (facts: AnswerFacts): unknown[] =>
    facts.toolCalls.map((call) => (limits.callIds === false || !upstreamHasIds ? { name: call.name, arguments: call.arguments } : call));
  if (limits.callIds === false && upstreamHasIds && upstream.toolCalls.length > 0) lossy.push('call ids');
  expect({
    text: received.text,
    refusal: received.refusal,
    reasoning: received.reasoning,
    toolCalls: calls(received),
    finish: received.finish,
    usage: usage(received),
  }).toEqual({
    text: refusalAsText ? upstream.text + upstream.refusal : upstream.text,
    refusal: refusalAsText ? '' : upstream.refusal,
    reasoning: upstream.reasoning,
    toolCalls: calls(upstream),
    finish: upstream.finish,
    usage: usage(upstream),
  });
  // An upstream that gave no time gets the gateway's clock (ADR 0003), for streams and whole answers alike.
  if (limits.created !== false) expect({ mode, created: received.created > 0 }).toEqual({ mode, created: true });
  return lossy;
}
