import type { IrUsage } from '@gw/ir';
import type { SseEvent } from '@gw/sse';

/** The client's request body: parsed (already validated) and as the bytes it came in. */
export interface ClientBody {
  value: Record<string, unknown>;
  bytes: Buffer;
}

export interface PassthroughStreamVerdict {
  /**
   * False drops the event (a usage chunk the gateway asked for but the client did not). With `errorMessage`
   * it means the failure is not in the client protocol's own shape (a compatible server's variant): the
   * relay reports it in the client's protocol instead.
   */
  forward: boolean;
  usage?: IrUsage;
  /** Set when the upstream reported a failure inside the stream. */
  errorMessage?: string;
  /** The upstream's response id, model and finish reason, when the inspected event names them (for spans). */
  answer?: { id: unknown; model: unknown; finishReason?: string };
  /** The event ends the stream successfully (Responses `response.completed`, Anthropic `message_stop`). */
  terminal?: boolean;
}

/**
 * Same-protocol relays re-encode nothing they do not need to change: the body gets the mapped model (and
 * what else the protocol needs for the request log, such as Chat's stream usage), events go out as they
 * came. These hooks say what to change and where usage, errors and the end of an answer are.
 */
export interface PassthroughHooks {
  /**
   * The body for the upstream: the client's bytes with the mapped model (and what else the hook must set)
   * edited in place, and the top-level members named in `removed` taken out (fields the channel's vendor
   * rejects, preset quirks), in the same single pass over the bytes; re-encoded from the parsed value only
   * when the bytes cannot be edited safely. A protocol that names the model in the URL (Gemini) returns the
   * bytes as they came when there is nothing to remove.
   */
  upstreamBody(clientBody: ClientBody, mappedModel: string, stream: boolean, removed?: readonly string[]): Buffer | string;
  /** Usage from a whole answer (undefined when it has none). */
  usageOf(answer: Record<string, unknown>): IrUsage | undefined;
  /** The answer's own id and model, for spans and the request log. */
  identityOf(answer: Record<string, unknown>): { id: unknown; model: unknown };
  /** Finish reasons of a whole answer, in the IR's words where the protocol's differ. */
  finishReasonsOf(answer: Record<string, unknown>): string[];
  /** An error object behind a success status: an error, whatever the status said. */
  isErrorAnswer(answer: Record<string, unknown>): boolean;
  /**
   * The inspector of one stream, made when it opens: what it saw in earlier events can decide what a later
   * one means (Gemini says `STOP` for an answer whose function call came in an earlier chunk). Protocols
   * whose events say everything on their own return one shared, stateless inspector.
   */
  createInspector(): PassthroughStreamInspector;
}

/** Reads one pass-through stream's events for usage, errors and the finish, block by block, in order. */
export interface PassthroughStreamInspector {
  /**
   * Where in a block of complete events the first event that may carry usage, an error or the end of the
   * answer is (any byte of it), or -1. Everything before that event is forwarded as raw bytes, never
   * decoded or parsed. Those events end a stream, so the search runs backwards and stops near the end. A
   * stateful inspector also points at the events its state needs (Gemini: a function call, until one came).
   */
  inspectionPoint(events: Buffer): number;
  /**
   * `usageSoFar` is what earlier events reported: a protocol that sends usage in parts (Anthropic: input in
   * `message_start`, output in `message_delta`) merges the event's part into it rather than replacing it.
   */
  inspect(event: SseEvent, clientWantsUsage: boolean, usageSoFar?: IrUsage): PassthroughStreamVerdict;
  /**
   * True when a block of complete events holds what makes the answer whole, beyond what `inspect` and the
   * `[DONE]` line tell (Chat: a `finish_reason`; some compatible providers end without `[DONE]`).
   */
  completesIn(events: Buffer): boolean;
  /** The finish reason in a block `completesIn` accepted, read from the bytes (Chat), for spans. */
  finishReasonIn(events: Buffer): string | undefined;
}
