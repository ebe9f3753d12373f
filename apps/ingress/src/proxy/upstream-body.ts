import { GatewayError } from '@gw/ir';
import { startsLikeJsonObject } from './json-member';
import type { UpstreamResponse } from './upstream.client';

/** Reads a whole upstream body as JSON; a non-JSON success body is the upstream's fault (502). */
export async function readUpstreamJson(response: UpstreamResponse, channelName: string): Promise<{ text: string; json: unknown }> {
  const text = (await response.bytes()).toString('utf8');
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    throw notJson(response, channelName);
  }
}

/**
 * Reads a whole upstream body as bytes, to be forwarded as they came (pass-through): it is not decoded or
 * parsed, only checked to open a JSON object (an HTML error page behind a 200 is the upstream's fault, 502).
 */
export async function readUpstreamJsonBytes(response: UpstreamResponse, channelName: string): Promise<Buffer> {
  const bytes = await response.bytes();
  if (!startsLikeJsonObject(bytes)) throw notJson(response, channelName);
  return bytes;
}

function notJson(response: UpstreamResponse, channelName: string): GatewayError {
  return new GatewayError('upstream_error', `Upstream channel "${channelName}" returned a body that is not JSON.`, {
    upstreamStatus: response.status,
  });
}

/** Error bodies are read with a cap: a misbehaving upstream must not make us buffer megabytes. */
export async function readUpstreamErrorText(response: UpstreamResponse, limitBytes = 64 * 1024): Promise<string> {
  let text = '';
  for await (const chunk of response.chunks()) {
    text += chunk.toString('utf8');
    if (text.length > limitBytes) {
      response.body.destroy();
      return text.slice(0, limitBytes);
    }
  }
  return text;
}
