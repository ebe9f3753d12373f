import { GatewayError } from '@gw/ir';
import { startsLikeJsonObject } from './json-member';
import type { UpstreamProtocol } from './protocol-adapters';
import type { ProxyExchange } from './proxy.service';
import { SSE_HEADERS } from './response-headers';
import type { UpstreamResponse } from './streamed-answer.handler';
import type { UpstreamClient } from './upstream.client';
import type { UpstreamAnswer } from './whole-answer.handler';

/** A non-streamed call to the exchange's channel; an error status becomes the channel protocol's error. */
export async function fetchWholeAnswer(
  upstreamClient: UpstreamClient,
  exchange: ProxyExchange,
  upstream: UpstreamProtocol,
  body: string | Buffer,
): Promise<UpstreamAnswer> {
  const answer = await upstreamClient.fetchAnswer(exchange.channel, upstream.path, body, exchange.client.signal);
  if (answer.status >= 400) throw upstream.decodeError(answer.status, answer.body.toString('utf8'));
  return answer;
}

/**
 * A streamed call to the exchange's channel. An error status becomes the channel protocol's error before
 * anything reached the client; otherwise the client's stream starts (see ClientConnection.startStream).
 */
export async function openUpstreamStream(
  upstreamClient: UpstreamClient,
  exchange: ProxyExchange,
  upstream: UpstreamProtocol,
  body: string | Buffer,
): Promise<UpstreamResponse> {
  const response = await upstreamClient.post(exchange.channel, upstream.path, body, exchange.client.signal, 'text/event-stream');
  if (response.status >= 400) throw upstream.decodeError(response.status, await readUpstreamErrorText(response));
  exchange.client.startStream({ ...SSE_HEADERS, ...exchange.headers }, response.bodyWaiting());
  return response;
}

/** A whole upstream answer as JSON; a non-JSON success body is the upstream's fault (502). */
export function parseUpstreamJson(answer: UpstreamAnswer, channelName: string): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8')) as unknown;
  } catch {
    throw notJson(answer, channelName);
  }
}

/**
 * A whole upstream answer as bytes, to be forwarded as they came (pass-through): it is not decoded or
 * parsed, only checked to open a JSON object (an HTML error page behind a 200 is the upstream's fault, 502).
 */
export function upstreamJsonBytes(answer: UpstreamAnswer, channelName: string): Buffer {
  if (!startsLikeJsonObject(answer.body)) throw notJson(answer, channelName);
  return answer.body;
}

function notJson(answer: UpstreamAnswer, channelName: string): GatewayError {
  return new GatewayError('upstream_error', `Upstream channel "${channelName}" returned a body that is not JSON.`, {
    upstreamStatus: answer.status,
  });
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
