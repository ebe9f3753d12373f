import {
  PROVIDER_DATA_ENVELOPE_PREFIX,
  flattenToolName,
  providerDataFromEnvelope,
  type IrFinishReason,
  type IrResponse,
  type IrStreamEvent,
  type IrUsage,
} from '@gw/ir';

/** What an answer says, in terms every protocol can be compared in (the IR's own, one rule for usage). */
export interface AnswerFacts {
  text: string;
  refusal: string;
  /** Reasoning text and summaries, whitespace removed (protocols join paragraphs differently). */
  reasoning: string;
  /** Issuers of the opaque reasoning state the answer carries (a signature, encrypted content). */
  reasoningIssuers: string[];
  toolCalls: { callId: string; name: string; arguments: unknown }[];
  finish: IrFinishReason | undefined;
  usage: IrUsage | undefined;
  id: string;
  model: string;
  created: number;
}

/** Arguments as a value: JSON parsed (key order and spacing are not what a client reads), freeform text as it is. */
function argumentsValue(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const squeeze = (text: string): string => text.replace(/\s+/g, '');

function emptyFacts(): AnswerFacts {
  return {
    text: '',
    refusal: '',
    reasoning: '',
    reasoningIssuers: [],
    toolCalls: [],
    finish: undefined,
    usage: undefined,
    id: '',
    model: '',
    created: 0,
  };
}

/**
 * The issuers of the state a client received. Another issuer's state reaches a client inside the gateway's
 * provider-data envelope (in an Anthropic `signature`, a Gemini `thoughtSignature`, a Responses
 * `encrypted_content`); a protocol's answer decoder reads the slot as its own, so the envelope is opened here
 * the way the client's next request will be read.
 */
function addIssuers(facts: AnswerFacts, providerData: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined): void {
  for (const [issuer, data] of Object.entries(providerData ?? {})) {
    const enveloped = Object.values(data).flatMap((value) =>
      typeof value === 'string' && value.startsWith(PROVIDER_DATA_ENVELOPE_PREFIX)
        ? Object.keys(providerDataFromEnvelope(value, issuer) ?? {})
        : [],
    );
    for (const found of enveloped.length > 0 ? enveloped : [issuer])
      if (!facts.reasoningIssuers.includes(found)) facts.reasoningIssuers.push(found);
  }
}

export function factsOfResponse(response: IrResponse): AnswerFacts {
  const facts = emptyFacts();
  facts.id = response.id;
  facts.model = response.model;
  facts.created = response.created;
  facts.finish = response.finishReason;
  facts.usage = response.usage;
  for (const item of response.output) {
    if (item.kind === 'message') {
      for (const part of item.content) {
        if (part.type === 'text') facts.text += part.text;
        if (part.type === 'refusal') facts.refusal += part.text;
      }
    } else if (item.kind === 'reasoning') {
      facts.reasoning += squeeze((item.text ?? '') + (item.summary ?? []).join(''));
      addIssuers(facts, item.providerData);
    } else if (item.kind === 'tool_call') {
      facts.toolCalls.push({
        callId: item.callId,
        name: flattenToolName(item.name, item.namespace),
        arguments: argumentsValue(item.arguments),
      });
    }
  }
  return facts;
}

export function factsOfStream(events: readonly IrStreamEvent[]): AnswerFacts {
  const facts = emptyFacts();
  const calls = new Map<number, { callId: string; name: string; text: string }>();
  for (const event of events) {
    switch (event.type) {
      case 'start':
        if (facts.id === '') Object.assign(facts, { id: event.id, model: event.model, created: event.created });
        break;
      case 'text_delta':
        facts.text += event.text;
        break;
      case 'refusal_delta':
        facts.refusal += event.text;
        break;
      case 'reasoning_delta':
        facts.reasoning += squeeze(event.text);
        break;
      case 'reasoning_item':
        facts.reasoning += squeeze(event.summary.join(''));
        addIssuers(facts, event.providerData);
        break;
      case 'tool_call_start':
        calls.set(event.index, { callId: event.callId, name: flattenToolName(event.name, event.namespace), text: '' });
        break;
      case 'tool_call_delta': {
        const call = calls.get(event.index);
        if (call !== undefined) call.text += event.argumentsDelta;
        break;
      }
      case 'usage':
        facts.usage = event.usage;
        break;
      case 'finish':
        facts.finish = event.reason;
        break;
    }
  }
  facts.toolCalls = [...calls.values()].map((call) => ({ callId: call.callId, name: call.name, arguments: argumentsValue(call.text) }));
  return facts;
}
