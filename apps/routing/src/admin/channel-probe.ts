import type { ChannelType } from '@gw/contracts';
import { SecretRedactor } from '@gw/ir';

/**
 * "Test this channel": the smallest real request each channel type's upstream answers, and how its answer is
 * judged. Pure; the call itself is `ChannelTester`'s.
 */

/**
 * Paths as the data plane sends them (ingress's `upstreamProtocols`), before `resolveChannel` puts them after
 * the channel's `base_url` (or replaces them with its preset's path, Azure's deployment URL).
 */
export function probeRequest(type: ChannelType, model: string): { path: string; body: Record<string, unknown> } {
  const text = 'Reply with the single word: ok';
  switch (type) {
    case 'openai':
      // `max_tokens`, as the data plane sends it: DeepSeek, vLLM and older Azure versions know only that one.
      return { path: '/chat/completions', body: { model, messages: [{ role: 'user', content: text }], max_tokens: 1, stream: false } };
    case 'openai-responses':
      // 16 is the smallest `max_output_tokens` OpenAI accepts; `store: false` leaves nothing behind upstream.
      return { path: '/responses', body: { model, input: text, max_output_tokens: 16, stream: false, store: false } };
  }
}

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
