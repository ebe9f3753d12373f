/**
 * Request-log queries in distributed mode: ingress hands them to the trace service (its own process) over
 * real NATS; the rows reach it through JetStream. Run under `flock /tmp/gw-distributed.lock` (NATS
 * request/reply subjects are not namespaced per deployment).
 */
import { randomBytes } from 'node:crypto';
import type { AdminTokenView, Page, ProjectView, RequestLogDetailView, RequestLogView, UsageView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, type AdminCall, type AdminError } from './support/admin-client';
import { startDistributedGateway, type DistributedGatewayUnderTest } from './support/gateway-under-test';
import { allPages, capturedRequest, chatCall, sendRequestLogTraffic } from './support/request-log-traffic';

jest.setTimeout(120_000);

describe('request-log queries (admin API, distributed gateway, over NATS)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: DistributedGatewayUnderTest;
  let owner: AdminCall;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    owner = adminClient(gateway.origin, bootstrapToken);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('the trace service answers filters, pages, a conversation in order, one request and project scope', async () => {
    const traffic = await sendRequestLogTraffic(gateway, upstream, owner, randomBytes(4).toString('hex'));
    const newestFirst = traffic.sent.map((request) => request.requestId).reverse();
    const pages = await allPages<RequestLogView>(owner, '/request-logs', 3);
    expect(pages.flat().map((item) => item.request_id)).toEqual(newestFirst);

    const errors = await owner<Page<RequestLogView>>('GET', '/request-logs?status=error&project=beta');
    expect(errors.body.items.map((item) => [item.requested_model, item.status])).toEqual([['no-such-model', 404]]);
    const turns = await owner<Page<RequestLogView>>('GET', `/conversations/${traffic.conversations.a}/requests`);
    expect(turns.body.items.map((item) => item.request_id)).toEqual(traffic.sent.slice(0, 3).map((request) => request.requestId));
    const one = await owner<RequestLogDetailView>('GET', `/request-logs/${traffic.sent[1]!.requestId}`);
    expect(one.body).toMatchObject({ project: 'alpha', requested_model: 'gpt-4r', channel: gateway.channelNames.responses, capture: null });

    const token = await owner<AdminTokenView & { token: string }>('POST', '/tokens', {
      name: 'beta-viewer',
      role: 'viewer',
      project: 'beta',
    });
    const betaViewer = adminClient(gateway.origin, token.body.token);
    const scoped = await betaViewer<Page<RequestLogView>>('GET', '/request-logs');
    expect(scoped.body.items.map((item) => item.project)).toEqual(['beta', 'beta', 'beta']);
    expect((await betaViewer<AdminError>('GET', `/request-logs/${traffic.sent[0]!.requestId}`)).status).toBe(404);
    const bad = await owner<AdminError>('GET', '/request-logs?status=teapot');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);

    // Usage buckets (the console's charts) are counted by the trace service too: every request sent, in scope.
    const usage = await owner<UsageView>('GET', '/usage?group_by=channel&bucket_seconds=86400');
    expect(usage.body.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(traffic.sent.length);
    const betaUsage = await betaViewer<UsageView>('GET', '/usage');
    expect(betaUsage.body.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(3);

    // Capture switched on for one project: auth tells ingress over NATS, the bodies travel through JetStream.
    expect((await owner<ProjectView>('PATCH', '/projects/beta', { capture_bodies: true })).body.capture_bodies).toBe(true);
    const streamed = await chatCall(gateway, traffic.secrets[1]!, 'deepseek-chat', { stream: true, content: 'captured over NATS' });
    const captured = await capturedRequest(owner, streamed.requestId);
    // The recorded stream is longer than the default cap (64 KiB): its first bytes, as the client got them.
    const cap = 65_536;
    expect(Buffer.byteLength(streamed.text)).toBeGreaterThan(cap);
    expect(captured.capture?.response_truncated).toBe(true);
    expect(Buffer.byteLength(captured.capture?.response_body ?? '')).toBeGreaterThan(cap - 4);
    expect(streamed.text.startsWith(captured.capture?.response_body ?? '-')).toBe(true);
    expect(captured.capture?.request_body).toContain('captured over NATS');
  });
});
