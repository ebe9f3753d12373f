import { request as httpRequest } from 'node:http';

/** Plain HTTP against the gateway, for what the SDKs hide: status lines, headers, raw SSE. */

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body; undefined when it is not JSON. */
  json: unknown;
}

export async function httpCall(
  url: string,
  options: { method?: 'GET' | 'POST'; body?: string | object; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const body = options.body === undefined || typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export interface ParsedSseEvent {
  event: string | undefined;
  data: string;
}

/** Splits an SSE body into events (blank-line separated; `data:` lines joined). */
export function parseSse(text: string): ParsedSseEvent[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: data.join('\n') };
    });
}

/**
 * Starts a streamed POST and hangs up after the first body bytes arrive (a client that goes away
 * mid-answer). Resolves with the status and what was received before hanging up.
 */
export function postAndHangUpAfterFirstBytes(
  url: string,
  body: object,
  headers: Record<string, string>,
): Promise<{ status: number; received: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false },
      (response) => {
        response.once('data', (chunk: Buffer) => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, received: chunk.toString('utf8') });
        });
        response.once('end', () => reject(new Error('the response ended before the client hung up')));
      },
    );
    request.on('error', (error) => {
      if (!request.destroyed) reject(error);
    });
    request.end(JSON.stringify(body));
  });
}
