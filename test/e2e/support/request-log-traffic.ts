/**
 * Traffic for the request-log queries of the admin API: two keys in two projects, two conversations
 * (`AH-Trace-Id`), translated and pass-through requests, an upstream 429 and an unknown model, sent one
 * after the other so that their start times are in sending order.
 */
import type { Page, RequestLogDetailView, RequestLogView } from '@gw/contracts';
import { openAiError, type FakeUpstream } from '../../support/fake-upstream';
import type { AdminCall } from './admin-client';
import { MODELS, type GatewayUnderTest } from './gateway-under-test';

export interface SentRequest {
  requestId: string;
  status: number;
  key: 'alpha' | 'beta';
  requestedModel: string;
  conversation?: string;
}

export interface RequestLogTraffic {
  alphaKeyId: string;
  betaKeyId: string;
  /** Secrets that must never appear in an admin answer. */
  secrets: string[];
  /** In sending order (oldest first). */
  sent: SentRequest[];
  /** Conversation keys, unique per run. */
  conversations: { a: string; b: string };
}

/** One Chat Completions call; resolves with its status and `AH-Request-Id`. */
export async function chatCall(
  gateway: GatewayUnderTest,
  key: string,
  model: string,
  options: { conversation?: string; stream?: boolean; content?: string } = {},
): Promise<{ status: number; requestId: string; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  if (options.conversation !== undefined) headers['ah-trace-id'] = options.conversation;
  const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model, stream: options.stream ?? false, messages: [{ role: 'user', content: options.content ?? 'hi' }] }),
  });
  const text = await response.text();
  return { status: response.status, requestId: response.headers.get('ah-request-id') ?? '', text };
}

export async function sendRequestLogTraffic(
  gateway: GatewayUnderTest,
  upstream: FakeUpstream,
  owner: AdminCall,
  suffix: string,
): Promise<RequestLogTraffic> {
  for (const name of ['alpha', 'beta']) expect((await owner('POST', '/projects', { name })).status).toBe(201);
  const alpha = await owner<{ id: string; key: string }>('POST', '/api-keys', { name: 'alpha-key', project: 'alpha' });
  const beta = await owner<{ id: string; key: string }>('POST', '/api-keys', { name: 'beta-key', project: 'beta' });
  expect([alpha.status, beta.status]).toEqual([201, 201]);
  const rules = [
    { from: 'gpt-4', to: MODELS.chatUpstream },
    { from: 'gpt-4r', to: MODELS.responsesUpstream },
  ];
  expect((await owner('POST', `/api-keys/${alpha.body.id}/profiles`, { name: 'main', rules })).status).toBe(201);
  expect((await owner('PUT', `/api-keys/${alpha.body.id}/active-profile`, { profile: 'main' })).status).toBe(200);

  const conversations = { a: `conv-a-${suffix}`, b: `conv-b-${suffix}` };
  const keys = { alpha: alpha.body.key, beta: beta.body.key };
  const sent: SentRequest[] = [];
  const send = async (key: 'alpha' | 'beta', model: string, options: { conversation?: string; stream?: boolean } = {}): Promise<void> => {
    const result = await chatCall(gateway, keys[key], model, options);
    expect(result.requestId).not.toBe('');
    sent.push({ requestId: result.requestId, status: result.status, key, requestedModel: model, conversation: options.conversation });
  };
  await send('alpha', 'gpt-4', { conversation: conversations.a });
  await send('alpha', 'gpt-4r', { conversation: conversations.a }); // translated: Chat client, Responses channel
  upstream.enqueue(openAiError(429, 'Rate limit reached'));
  await send('alpha', 'gpt-4', { conversation: conversations.a });
  await send('beta', MODELS.chatUpstream, { conversation: conversations.b });
  await send('beta', MODELS.chatUpstream, { conversation: conversations.b, stream: true });
  await send('beta', 'no-such-model');
  await send('alpha', MODELS.chatUpstream);
  expect(sent.map((request) => request.status)).toEqual([200, 200, 429, 200, 200, 404, 200]);
  await waitForRows(owner, sent.length);
  return { alphaKeyId: alpha.body.id, betaKeyId: beta.body.id, secrets: [alpha.body.key, beta.body.key], sent, conversations };
}

/** Trace events are written asynchronously: waits until the log holds `count` rows. */
export async function waitForRows(admin: AdminCall, count: number, query = ''): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const page = await admin<Page<RequestLogView>>('GET', `/request-logs?limit=200${query}`);
    if (page.status === 200 && page.body.items.length >= count) return;
    if (Date.now() > deadline) throw new Error(`e2e: ${count} request-log rows expected, got ${page.text.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every page of a paginated admin list, following `next_cursor`. */
export async function allPages<T>(admin: AdminCall, path: string, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | null = null;
  const separator = path.includes('?') ? '&' : '?';
  do {
    const query: string = `${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const page = await admin<Page<T>>('GET', `${path}${query}`);
    expect(page.status).toBe(200);
    pages.push(page.body.items);
    cursor = page.body.next_cursor;
    if (pages.length > 100) throw new Error('e2e: pagination does not end');
  } while (cursor !== null);
  return pages;
}

/** One request's log once its row is written (trace events are written asynchronously). */
export async function requestLog(admin: AdminCall, requestId: string): Promise<RequestLogDetailView> {
  return eventually(admin, requestId, () => true);
}

/** One request's log once its captured bodies are written too. */
export async function capturedRequest(admin: AdminCall, requestId: string): Promise<RequestLogDetailView> {
  return eventually(admin, requestId, (log) => log.capture !== null);
}

async function eventually(
  admin: AdminCall,
  requestId: string,
  ready: (log: RequestLogDetailView) => boolean,
): Promise<RequestLogDetailView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const log = await admin<RequestLogDetailView>('GET', `/request-logs/${requestId}`);
    if (log.status === 200 && ready(log.body)) return log.body;
    if (Date.now() > deadline) throw new Error(`e2e: request ${requestId} not logged as expected: ${log.text.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
