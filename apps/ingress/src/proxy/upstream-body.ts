import { GatewayError } from '@gw/ir';
import type { UpstreamWire } from '@gw/wire';
import type { ProxyExchange } from './proxy.service';
import { SSE_HEADERS } from './response-headers';
import type { UpstreamResponse } from './streamed-answer.handler';
import type { UpstreamClient } from './upstream.client';
import { isEventStreamMediaType, isJsonMediaType, type UpstreamAnswerHeaders } from './upstream-headers';
import type { UpstreamAnswer } from './whole-answer.handler';

/**
 * A non-streamed call to the exchange's channel. An error status becomes the channel protocol's error (with
 * the upstream's back-off headers); a success that is not JSON by its content type is the upstream's fault.
 */
export async function fetchWholeAnswer(
  upstreamClient: UpstreamClient,
  exchange: ProxyExchange,
  body: string | Buffer,
): Promise<UpstreamAnswer> {
  const { upstream } = exchange;
  exchange.record.upstreamCalled();
  const answer = await upstreamClient.fetchAnswer(exchange.channel, exchange.target, body, exchange.client.signal);
  exchange.record.upstreamAnswered();
  if (answer.status >= 400) throw upstreamStatusError(upstream, answer.status, answer.headers, answer.body.toString('utf8'));
  const type = answer.headers.contentType;
  if (type !== undefined && !isJsonMediaType(type)) throw notJson(exchange.channel.name, answer.status, type);
  return answer;
}

/**
 * A streamed call to the exchange's channel. An error status, or a success that is not an event stream by its
 * content type (an HTML page, a JSON error behind a 200), becomes an error before anything reached the client;
 * otherwise the client's stream starts (see ClientConnection.startStream).
 */
export async function openUpstreamStream(
  upstreamClient: UpstreamClient,
  exchange: ProxyExchange,
  body: string | Buffer,
): Promise<UpstreamResponse> {
  const { upstream } = exchange;
  exchange.record.upstreamCalled();
  const response = await upstreamClient.post(exchange.channel, exchange.target, body, exchange.client.signal, 'text/event-stream');
  if (response.status >= 400) {
    throw upstreamStatusError(upstream, response.status, response.headers, await readUpstreamErrorText(response));
  }
  const type = response.headers.contentType;
  if (type !== undefined && !isEventStreamMediaType(type)) {
    // A JSON body here is an error the upstream reported with the wrong status: its message is worth keeping.
    if (isJsonMediaType(type)) throw upstream.decodeError(response.status, await readUpstreamErrorText(response));
    throw new GatewayError('upstream_error', `Upstream channel "${exchange.channel.name}" answered a stream request with ${type}.`, {
      upstreamStatus: response.status,
    });
  }
  exchange.client.startStream({ ...SSE_HEADERS, ...exchange.headers }, response.bodyWaiting());
  return response;
}

function upstreamStatusError(upstream: UpstreamWire, status: number, headers: UpstreamAnswerHeaders, text: string): GatewayError {
  const error = upstream.decodeError(status, text);
  if (headers.backoff) error.headers = headers.backoff;
  return error;
}

/** A whole upstream answer as JSON; a body that does not parse is the upstream's fault (502). */
export function parseUpstreamJson(answer: UpstreamAnswer, channelName: string): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch {
    throw notJson(channelName, answer.status);
  }
}

/**
 * A whole upstream answer that must be a JSON object (pass-through forwards its bytes, so they are checked
 * whole: a body cut short or an HTML page behind a 200 would otherwise reach the client as a success).
 */
export function parseUpstreamJsonObject(answer: UpstreamAnswer, channelName: string): Record<string, unknown> {
  const value = parseUpstreamJson(answer, channelName);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notJson(channelName, answer.status);
  return value as Record<string, unknown>;
}

function notJson(channelName: string, status: number, contentType?: string): GatewayError {
  const what = contentType === undefined ? 'a body that is not JSON' : `${contentType} instead of JSON`;
  return new GatewayError('upstream_error', `Upstream channel "${channelName}" returned ${what}.`, { upstreamStatus: status });
}

/** A stream that ended without its protocol's terminal event: the answer is not whole, whatever came before. */
export function incompleteStream(channelName: string): GatewayError {
  return new GatewayError('upstream_error', `Upstream channel "${channelName}" ended the stream before the answer was complete.`);
}

/** Error bodies are read this far, streamed or whole: a misbehaving upstream must not make us buffer megabytes. */
export const ERROR_TEXT_LIMIT_BYTES = 64 * 1024;

export async function readUpstreamErrorText(response: UpstreamResponse, limitBytes = ERROR_TEXT_LIMIT_BYTES): Promise<string> {
  let text = '';
  for await (const chunk of response.chunks()) {
    text += chunk.toString('utf8');
    // Leaving the loop cancels the upstream request: the rest is not read.
    if (text.length > limitBytes) return text.slice(0, limitBytes);
  }
  return text;
}
