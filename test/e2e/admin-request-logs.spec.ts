/**
 * Request-log queries of the admin API end to end: the built gateway in embedded mode over real HTTP, real
 * requests through it with two keys in two projects and two conversations, then every filter, keyset
 * pagination, a conversation in turn order and project scope, read back through `/admin/v1`.
 */
import { randomBytes } from 'node:crypto';
import type { AdminTokenView, ConversationView, Page, ProjectView, RequestLogDetailView, RequestLogView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, type AdminCall, type AdminError } from './support/admin-client';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';
import {
  allPages,
  capturedRequest,
  chatCall,
  requestLog,
  sendRequestLogTraffic,
  waitForRows,
  type RequestLogTraffic,
} from './support/request-log-traffic';

jest.setTimeout(120_000);

describe('request-log queries (admin API, embedded gateway)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let owner: AdminCall;
  let traffic: RequestLogTraffic;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    owner = adminClient(gateway.origin, bootstrapToken);
    traffic = await sendRequestLogTraffic(gateway, upstream, owner, randomBytes(4).toString('hex'));
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  const ids = (items: { request_id: string }[]): string[] => items.map((item) => item.request_id);
  /** Ids of the requests sent that match, newest first (as the list answers). */
  const sentIds = (match: (request: RequestLogTraffic['sent'][number], index: number) => boolean): string[] =>
    traffic.sent
      .filter(match)
      .map((request) => request.requestId)
      .reverse();
  const listIds = async (query: string, admin: AdminCall = owner): Promise<string[]> => {
    const page = await admin<Page<RequestLogView>>('GET', `/request-logs?${query}`);
    expect({ query, status: page.status }).toEqual({ query, status: 200 });
    return ids(page.body.items);
  };

  it('lists every request newest first, with the row as snake_case fields and no secret', async () => {
    const page = await owner<Page<RequestLogView>>('GET', '/request-logs');
    expect(page.status).toBe(200);
    expect(ids(page.body.items)).toEqual(sentIds(() => true));
    expect(page.body.next_cursor).toBeNull();
    const translated = page.body.items.find((item) => item.request_id === traffic.sent[1]!.requestId);
    expect(translated).toMatchObject({
      project: 'alpha',
      api_key_id: traffic.alphaKeyId,
      api_key_name: 'alpha-key',
      conversation_key: traffic.conversations.a,
      conversation_source: 'ah-trace-id',
      client_protocol: 'openai-chat',
      endpoint: '/v1/chat/completions',
      stream: false,
      requested_model: 'gpt-4r',
      mapped_model: MODELS.responsesUpstream,
      upstream_model: MODELS.responsesUpstream,
      channel: gateway.channelNames.responses,
      status: 200,
      error_code: null,
      warnings: [],
    });
    expect(translated?.tokens.total).toEqual(expect.any(Number));
    expect(Date.parse(translated?.started_at ?? '')).not.toBeNaN();
    const rateLimited = page.body.items.find((item) => item.status === 429);
    expect(rateLimited).toMatchObject({ request_id: traffic.sent[2]!.requestId, error_code: expect.any(String) });
    for (const secret of [...traffic.secrets, ...Object.values(gateway.channelKeys)]) expect(page.text).not.toContain(secret);
  });

  it('filters by project, key, model (either, requested, mapped), channel, status, conversation and time', async () => {
    const sent = traffic.sent;
    expect(await listIds('project=alpha')).toEqual(sentIds((request) => request.key === 'alpha'));
    expect(await listIds('project=beta')).toEqual(sentIds((request) => request.key === 'beta'));
    expect(await listIds(`api_key=${traffic.alphaKeyId}`)).toEqual(sentIds((request) => request.key === 'alpha'));
    expect(await listIds('model=gpt-4')).toEqual(sentIds((request) => request.requestedModel === 'gpt-4'));
    // Requested or mapped: the gpt-4 requests were mapped to deepseek-chat.
    expect(await listIds(`model=${MODELS.chatUpstream}`)).toEqual(
      sentIds(
        (request) => request.requestedModel === 'gpt-4' || (request.requestedModel === MODELS.chatUpstream && request.status === 200),
      ),
    );
    expect(await listIds(`requested_model=${MODELS.chatUpstream}`)).toEqual(
      sentIds((request) => request.requestedModel === MODELS.chatUpstream),
    );
    expect(await listIds(`mapped_model=${MODELS.responsesUpstream}`)).toEqual([sent[1]!.requestId]);
    expect(await listIds(`channel=${gateway.channelNames.responses}`)).toEqual([sent[1]!.requestId]);
    expect(await listIds('status=429')).toEqual([sent[2]!.requestId]);
    expect(await listIds('status=4xx')).toEqual(sentIds((request) => request.status >= 400));
    expect(await listIds('status=error')).toEqual(sentIds((request) => request.status >= 400));
    expect(await listIds('status=2xx')).toEqual(sentIds((request) => request.status === 200));
    expect(await listIds('status=5xx')).toEqual([]);
    expect(await listIds(`conversation=${traffic.conversations.b}`)).toEqual(
      sentIds((request) => request.conversation === traffic.conversations.b),
    );
    expect(await listIds('project=alpha&status=2xx&model=gpt-4')).toEqual([sent[0]!.requestId]);

    const third = (await owner<RequestLogDetailView>('GET', `/request-logs/${sent[2]!.requestId}`)).body.started_at;
    expect(await listIds(`since=${encodeURIComponent(third)}`)).toEqual(sentIds((_, index) => index >= 2));
    expect(await listIds(`until=${encodeURIComponent(third)}`)).toEqual(sentIds((_, index) => index < 2));
    expect(await listIds(`since=${encodeURIComponent(third)}&until=${encodeURIComponent(third)}`)).toEqual([]);
  });

  it('pages with an opaque cursor: no duplicates, no gaps, and rows written meanwhile do not shift the pages', async () => {
    const everything = await listIds('limit=200');
    const firstPage = await owner<Page<RequestLogView>>('GET', '/request-logs?limit=3');
    expect(ids(firstPage.body.items)).toEqual(everything.slice(0, 3));
    expect(firstPage.body.next_cursor).toEqual(expect.any(String));

    // A newer request lands while the client pages: it belongs before page one, not in the pages still to come.
    const newer = await chatCall(gateway, traffic.secrets[1]!, MODELS.chatUpstream);
    await waitForRows(owner, everything.length + 1);
    let cursor = firstPage.body.next_cursor;
    const rest: string[] = [];
    while (cursor !== null) {
      const page = await owner<Page<RequestLogView>>('GET', `/request-logs?limit=3&cursor=${encodeURIComponent(cursor)}`);
      expect(page.status).toBe(200);
      rest.push(...ids(page.body.items));
      cursor = page.body.next_cursor;
    }
    expect([...ids(firstPage.body.items), ...rest]).toEqual(everything);

    const pages = await allPages<RequestLogView>(owner, '/request-logs', 2);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2]);
    expect(pages.flat().map((item) => item.request_id)).toEqual([newer.requestId, ...everything]);
    // Filters hold across pages.
    const alphaPages = await allPages<RequestLogView>(owner, '/request-logs?project=alpha', 3);
    expect(alphaPages.flat().map((item) => item.request_id)).toEqual(sentIds((request) => request.key === 'alpha'));
  });

  it("returns one conversation's requests in turn order, paginated, and the conversations with their totals", async () => {
    const turns = traffic.sent.filter((request) => request.conversation === traffic.conversations.a).map((request) => request.requestId);
    const conversation = await owner<Page<RequestLogView>>('GET', `/conversations/${traffic.conversations.a}/requests`);
    expect(conversation.status).toBe(200);
    expect(ids(conversation.body.items)).toEqual(turns);
    const pages = await allPages<RequestLogView>(owner, `/conversations/${traffic.conversations.a}/requests`, 1);
    expect(pages.map((page) => ids(page))).toEqual(turns.map((id) => [id]));
    expect((await owner<Page<RequestLogView>>('GET', '/conversations/no-such-conversation/requests')).body).toEqual({
      items: [],
      next_cursor: null,
    });

    const conversations = await owner<Page<ConversationView>>('GET', '/conversations');
    expect(conversations.status).toBe(200);
    // Most recently active first: conversation b's last request came after a's.
    expect(conversations.body.items.map((item) => [item.conversation_key, item.project, item.requests])).toEqual([
      [traffic.conversations.b, 'beta', 2],
      [traffic.conversations.a, 'alpha', 3],
    ]);
    const first = conversations.body.items[1]!;
    expect(Date.parse(first.first_at)).toBeLessThan(Date.parse(first.last_at));
    expect(first.tokens.total).toBeGreaterThan(0);
    const paged = await allPages<ConversationView>(owner, '/conversations', 1);
    expect(paged.map((page) => page.map((item) => item.conversation_key))).toEqual([[traffic.conversations.b], [traffic.conversations.a]]);
    expect((await owner<Page<ConversationView>>('GET', '/conversations?project=alpha')).body.items).toHaveLength(1);
  });

  it('returns one request by id, with no capture while capture is off', async () => {
    const streamed = traffic.sent[4]!;
    const one = await owner<RequestLogDetailView>('GET', `/request-logs/${streamed.requestId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ request_id: streamed.requestId, project: 'beta', stream: true, capture: null });
    expect(one.body.ttft_ms).toEqual(expect.any(Number));
    const missing = await owner<AdminError>('GET', '/request-logs/no-such-request');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
  });

  it("scopes a project token to its project's requests: another project's rows are not found", async () => {
    const token = await owner<AdminTokenView & { token: string }>('POST', '/tokens', {
      name: 'alpha-viewer',
      role: 'viewer',
      project: 'alpha',
    });
    expect(token.status).toBe(201);
    const alphaViewer = adminClient(gateway.origin, token.body.token);
    const alphaIds = sentIds((request) => request.key === 'alpha');
    expect(await listIds('', alphaViewer)).toEqual(alphaIds);
    expect(await listIds(`conversation=${traffic.conversations.b}`, alphaViewer)).toEqual([]);
    expect(await listIds(`api_key=${traffic.betaKeyId}`, alphaViewer)).toEqual([]);
    const otherProject = await alphaViewer<AdminError>('GET', '/request-logs?project=beta');
    expect([otherProject.status, otherProject.body.error.code]).toEqual([404, 'not_found']);
    const betaRequest = traffic.sent.find((request) => request.key === 'beta')!;
    expect((await alphaViewer<AdminError>('GET', `/request-logs/${betaRequest.requestId}`)).status).toBe(404);
    expect((await alphaViewer('GET', `/request-logs/${alphaIds[0]!}`)).status).toBe(200);
    expect((await alphaViewer<Page<RequestLogView>>('GET', `/conversations/${traffic.conversations.b}/requests`)).body.items).toEqual([]);
    const conversations = await alphaViewer<Page<ConversationView>>('GET', '/conversations');
    expect(conversations.body.items.map((item) => item.conversation_key)).toEqual([traffic.conversations.a]);
  });

  it('refuses bad parameters with a 400 in the admin envelope naming the parameter, and callers without a token with a 401', async () => {
    const cases: [string, string][] = [
      ['/request-logs?limit=0', 'limit'],
      ['/request-logs?limit=201', 'limit'],
      ['/request-logs?limit=ten', 'limit'],
      ['/request-logs?status=6xx', 'status'],
      ['/request-logs?status=20', 'status'],
      ['/request-logs?status=200&status=404', 'status'],
      ['/request-logs?since=yesterday', 'since'],
      ['/request-logs?until=2026-13-45T00:00:00Z', 'until'],
      ['/request-logs?since=2026-12-05&until=2026-12-01', 'since'],
      ['/request-logs?cursor=not-a-cursor', 'cursor'],
      [`/request-logs?cursor=${Buffer.from('["x","y"]').toString('base64url')}`, 'cursor'],
      ['/request-logs?api_key=not-a-uuid', 'api_key'],
      ['/request-logs?project=../etc', 'project'],
      [`/conversations/${traffic.conversations.a}/requests?limit=-1`, 'limit'],
      ['/conversations?since=soon', 'since'],
    ];
    for (const [path, field] of cases) {
      const result = await owner<AdminError>('GET', path);
      expect({ path, status: result.status, code: result.body.error.code, field: result.body.error.details?.field }).toEqual({
        path,
        status: 400,
        code: 'invalid_request',
        field,
      });
    }
    const anonymous = await adminClient(gateway.origin, undefined)<AdminError>('GET', '/request-logs');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it("captures one project's bodies when its override is on, while the config keeps capture off for the others", async () => {
    const on = await owner<ProjectView>('PATCH', '/projects/alpha', { capture_bodies: true });
    expect([on.status, on.body.capture_bodies]).toEqual([200, true]);
    const [alphaKey, betaKey] = traffic.secrets as [string, string];
    const beta = await chatCall(gateway, betaKey, MODELS.chatUpstream, { content: 'beta prompt' });
    const alpha = await chatCall(gateway, alphaKey, 'gpt-4', { content: 'alpha prompt' });
    expect([beta.status, alpha.status]).toEqual([200, 200]);
    const captured = await capturedRequest(owner, alpha.requestId);
    expect(captured.capture?.request_body).toContain('alpha prompt');
    expect(captured.capture?.response_body).toBe(alpha.text);
    // Written in request order: the beta request's bodies would be stored by now if it had any.
    expect((await requestLog(owner, beta.requestId)).capture).toBeNull();
    expect((await owner<ProjectView>('PATCH', '/projects/alpha', { capture_bodies: null })).body.capture_bodies).toBeNull();
  });
});
