import { GatewayError, sequentialCodecContext, type IrResponse, type IrStreamEvent } from '@gw/ir';
import { SseParser, type SseEvent } from '@gw/sse';
import { relayStream } from '../relay-stream';
import { factsOfResponse, factsOfStream, type AnswerFacts } from './answer-facts';
import { nativeClientOf, nativeUpstreamOf, type MatrixClient, type MatrixUpstream } from './protocols';

/** The model the client asked for: every answer must name it (ADR 0003), whatever the upstream's model was. */
export const CLIENT_MODEL = 'client-model';

/** What the client received, read back with its own protocol's decoder (the one the gateway uses for that channel type). */
export interface ReadBack {
  facts: AnswerFacts;
  /** The client's protocol says the answer ended normally (its terminal event, e.g. `[DONE]` after a finish, `message_stop`). */
  complete: boolean;
  /** The in-stream failure the client received, in its protocol. */
  failure?: GatewayError;
  out: string;
}

export interface StreamCell {
  /** What the upstream said, decoded (the facts every client must receive). */
  upstream: AnswerFacts;
  /** The upstream's stream failed or was cut: the relay reported a failure. */
  upstreamFailed: boolean;
  client: ReadBack;
}

export function readBackStream(client: MatrixClient, out: string): ReadBack {
  const decoder = nativeUpstreamOf(client).createStreamDecoder(sequentialCodecContext(), undefined);
  const parser = new SseParser();
  const ir: IrStreamEvent[] = [];
  try {
    for (const event of [...parser.push(out), ...parser.end()]) ir.push(...decoder.push(event));
    ir.push(...decoder.end());
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { facts: factsOfStream(ir), complete: false, failure: error, out };
  }
  return { facts: factsOfStream(ir), complete: decoder.complete, out };
}

/** Upstream stream → upstream decoder → IR → client encoder (what the translating relay does), then read back. */
export function runStreamCell(upstream: MatrixUpstream, client: MatrixClient, events: SseEvent[]): StreamCell {
  const ctx = sequentialCodecContext();
  const decoder = upstream.createStreamDecoder(ctx, undefined);
  const encoder = client.createStreamEncoder(ctx, { model: CLIENT_MODEL, includeUsage: true });
  let upstreamFailed = false;
  const { ir, out } = relayStream(events, decoder, {
    push: (event) => encoder.push(event),
    end: () => encoder.end(),
    fail: (error) => {
      upstreamFailed = true;
      return encoder.fail(error);
    },
  });
  return { upstream: factsOfStream(ir), upstreamFailed, client: readBackStream(client, out) };
}

export interface WholeCell {
  upstream: AnswerFacts;
  client: AnswerFacts;
  body: unknown;
}

/** Upstream body → IR → the client's body, read back with the client protocol's own response decoder. */
export function runWholeCell(upstream: MatrixUpstream, client: MatrixClient, recorded: unknown): WholeCell {
  const decoded: IrResponse = upstream.decodeResponse(recorded, undefined);
  const body = JSON.parse(JSON.stringify(client.encodeResponse(decoded, sequentialCodecContext(1_800_000_000), CLIENT_MODEL))) as unknown;
  return { upstream: factsOfResponse(decoded), client: factsOfResponse(nativeUpstreamOf(client).decodeResponse(body, undefined)), body };
}

/**
 * The recorded stream cut just before the event that completes it (found by replaying growing prefixes through
 * the upstream's decoder): it then ends cleanly, as a dropped connection's does.
 */
export function cutBeforeTerminal(upstream: MatrixUpstream, events: SseEvent[]): SseEvent[] | undefined {
  for (let length = 1; length <= events.length; length++) {
    const decoder = upstream.createStreamDecoder(sequentialCodecContext(), undefined);
    try {
      for (const event of events.slice(0, length)) decoder.push(event);
    } catch {
      return undefined;
    }
    if (decoder.complete) return length > 1 ? events.slice(0, length - 1) : undefined;
  }
  return undefined;
}

/**
 * An `error` member inside a data chunk after the first half of a recorded stream: how OpenAI-compatible
 * providers and Gemini fail mid-stream. The member is the channel protocol's own error envelope, made by that
 * protocol's error encoder (no provider recording of it exists).
 */
export function withErrorChunk(upstream: MatrixUpstream, events: SseEvent[]): SseEvent[] {
  const envelope = nativeClientOf(upstream).errorResponse(
    new GatewayError('service_unavailable', 'The model is overloaded. Please try again later.'),
  ).body;
  return [...events.slice(0, Math.ceil(events.length / 2)), { data: JSON.stringify(envelope) }];
}
