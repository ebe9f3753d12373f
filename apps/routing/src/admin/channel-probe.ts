import type { ChannelType } from '@gw/contracts';
import { SecretRedactor, WarningCollector, type IrRequest } from '@gw/ir';
import { upstreamWireFor } from '@gw/protocol-registry';
import { rejectedParameters, resolveChannel, withoutParameters, type ChannelUpstreamFields } from '@gw/providers';

/**
 * "Test this channel": the smallest real request each channel type's upstream answers, and how its answer is
 * judged. Pure; the call itself is `ChannelTester`'s.
 */

/** The channel under test: its type and what decides its upstream request (preset, model map, headers). */
export interface ProbedChannel extends ChannelUpstreamFields {
  type: ChannelType;
}

/**
 * The smallest request the channel's upstream answers, built as the data plane builds it: the channel resolved
 * with its preset and its type's wire (`resolveChannel`: URL for the upstream model, signing and extra headers,
 * `model_map`), and a one-line question encoded by the wire's request encoder (the smallest output limit every
 * upstream accepts; Responses' minimum is 16) without the fields the vendor rejects. `secrets` redact what
 * comes back.
 */
export function probeRequest(
  channel: ProbedChannel,
  model: string,
): { url: string; headers: Readonly<Record<string, string>>; body: unknown; secrets: readonly string[] } {
  const wire = upstreamWireFor(channel.type);
  const resolved = resolveChannel(channel, wire);
  const upstreamModel = resolved.upstreamModel(model);
  const question: IrRequest = {
    model: upstreamModel,
    items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: 'Reply with the single word: ok' }] }],
    tools: [],
    stream: false,
    maxOutputTokens: PROBE_MAX_OUTPUT_TOKENS,
  };
  const body = wire.encodeRequest(question, new WarningCollector()).body as Record<string, unknown>;
  const url = resolved.url(upstreamModel, wire.requestPath(upstreamModel, false));
  return {
    url: url.origin + url.path,
    headers: resolved.headers,
    body: withoutParameters(body, rejectedParameters(body, resolved.quirks, body)),
    secrets: resolved.secrets,
  };
}

const PROBE_MAX_OUTPUT_TOKENS = 16;

/** Error texts are cut to this: enough for the upstream's message, not a whole HTML page. */
const MAX_ERROR_CHARS = 300;

/** The verdict on an answer: a 2xx with a JSON body is a working channel; anything else says why not. */
export function judgeProbeAnswer(status: number, bodyText: string, redactor: SecretRedactor): { ok: boolean; error?: string } {
  if (status >= 200 && status < 300) {
    if (isJson(bodyText)) return { ok: true };
    return { ok: false, error: redactor.redact(`Upstream answered ${status} but the body is not JSON: ${excerpt(bodyText)}`) };
  }
  return { ok: false, error: redactor.redact(`Upstream answered ${status}: ${upstreamMessage(bodyText)}`) };
}

/** A call that got no answer (refused, reset, timed out): the reason, redacted like any upstream text. */
export function describeProbeFailure(error: unknown, timeoutMs: number, redactor: SecretRedactor): string {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `No answer within ${timeoutMs} ms`;
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return redactor.redact(`Could not reach the upstream: ${reason}`);
}

/** OpenAI's envelope (`{"error":{"message"}}`, also used by the compatible providers), else the body's start. */
function upstreamMessage(bodyText: string): string {
  try {
    const parsed = JSON.parse(bodyText) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'object' && typeof parsed.error?.message === 'string') return excerpt(parsed.error.message);
    if (typeof parsed.error === 'string') return excerpt(parsed.error);
    if (typeof parsed.message === 'string') return excerpt(parsed.message);
  } catch {
    // Not JSON: the text itself says what happened (a proxy's page, a plain-text error).
  }
  return excerpt(bodyText) || '(empty body)';
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ERROR_CHARS ? `${flat.slice(0, MAX_ERROR_CHARS)}…` : flat;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
