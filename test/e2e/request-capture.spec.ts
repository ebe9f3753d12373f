/**
 * Prompt and response capture end to end: the built gateway in embedded mode with
 * `server.trace.capture.enabled`, real requests through it (pass-through and translated, streamed and
 * not), then the bodies read back through `GET /admin/v1/request-logs/{id}`: exactly what the client sent
 * and received, redacted, capped; and the per-project override.
 */
import { randomBytes } from 'node:crypto';
import type { AdminTokenView, AuditEntryView, Page, ProjectView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, type AdminCall, type AdminError } from './support/admin-client';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';
import { capturedRequest, requestLog } from './support/request-log-traffic';

jest.setTimeout(120_000);

const CAP = 200_000;
/** A card-number-like value a redact pattern masks, and a key-shaped secret the credential redactor masks. */
const PATTERN_SECRET = 'ACME-123456';
const KEY_SHAPED_SECRET = `sk-live-${randomBytes(12).toString('hex')}`;

describe('prompt and response capture (embedded gateway)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let owner: AdminCall;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream, {
      config: {
        admin: { bootstrap_token: bootstrapToken },
        server: { trace: { capture: { enabled: true, max_body_bytes: CAP, redact_patterns: ['ACME-[0-9]{6}'] } } },
      },
    });
    owner = adminClient(gateway.origin, bootstrapToken);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  /** One call with the bootstrap key; the body as sent and the answer as received. */
  const call = async (
    endpoint: 'chat/completions' | 'responses',
    body: Record<string, unknown>,
  ): Promise<{ requestId: string; sent: string; received: string; status: number }> => {
    const sent = JSON.stringify(body);
    const response = await fetch(`${gateway.baseUrl}/${endpoint}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json' },
      body: sent,
    });
    const received = await response.text();
    return { requestId: response.headers.get('ah-request-id') ?? '', sent, received, status: response.status };
  };
  const chatBody = (stream: boolean, content = 'hi'): Record<string, unknown> => ({
    model: MODELS.sdkChat,
    stream,
    messages: [{ role: 'user', content }],
  });
  const responsesBody = (stream: boolean): Record<string, unknown> => ({ model: MODELS.codex, stream, input: 'hi' });

  it.each([
    ['chat, not streamed (pass-through)', 'chat/completions', chatBody(false)],
    ['chat, streamed (pass-through)', 'chat/completions', chatBody(true)],
    ['responses on a chat channel, not streamed (translated)', 'responses', responsesBody(false)],
    ['responses on a chat channel, streamed (translated)', 'responses', responsesBody(true)],
  ] as const)('%s: stores the request and the answer exactly as the client saw them', async (_name, endpoint, body) => {
    const result = await call(endpoint, body);
    expect(result.status).toBe(200);
    const log = await capturedRequest(owner, result.requestId);
    expect(log.capture).toEqual({
      request_body: result.sent,
      response_body: result.received,
      request_truncated: false,
      response_truncated: false,
    });
    if (body.stream === true) expect(log.capture?.response_body).toMatch(/^(event: |data: )/);
  });

  it('masks key-shaped secrets and configured patterns in what it stores, never in what it forwards', async () => {
    const content = `my card is ${PATTERN_SECRET} and my key ${KEY_SHAPED_SECRET}, please remember`;
    const result = await call('chat/completions', chatBody(false, content));
    expect(result.status).toBe(200);
    expect(JSON.stringify(upstream.requests[upstream.requests.length - 1]?.body)).toContain(PATTERN_SECRET);
    const log = await capturedRequest(owner, result.requestId);
    const stored = JSON.stringify(log);
    expect(stored).not.toContain(PATTERN_SECRET);
    expect(stored).not.toContain(KEY_SHAPED_SECRET);
    expect(log.capture?.request_body).toContain('my card is [REDACTED] and my key sk-***');
    for (const secret of [gateway.apiKey, ...Object.values(gateway.channelKeys)]) expect(stored).not.toContain(secret);
  });

  it('cuts a body over max_body_bytes and marks it truncated', async () => {
    const result = await call('chat/completions', chatBody(false, 'x'.repeat(CAP + 10_000)));
    expect(result.status).toBe(200);
    const log = await capturedRequest(owner, result.requestId);
    expect(log.capture?.request_truncated).toBe(true);
    expect(Buffer.byteLength(log.capture?.request_body ?? '')).toBe(CAP);
    expect(result.sent.startsWith(log.capture?.request_body ?? '-')).toBe(true);
    expect(log.capture?.response_truncated).toBe(false);
  });

  it('a project override turns capture off and back to the config, audited; only admins may change it', async () => {
    const off = await owner<ProjectView>('PATCH', '/projects/default', { capture_bodies: false });
    expect([off.status, off.body.capture_bodies]).toEqual([200, false]);
    const uncaptured = await call('chat/completions', chatBody(false));
    const back = await owner<ProjectView>('PATCH', '/projects/default', { capture_bodies: null });
    expect(back.body.capture_bodies).toBeNull();
    const captured = await call('chat/completions', chatBody(false));
    // Bodies are written in request order: once the later request's are stored, the earlier one's would be.
    await capturedRequest(owner, captured.requestId);
    expect((await requestLog(owner, uncaptured.requestId)).capture).toBeNull();
    expect((await owner<{ items: ProjectView[] }>('GET', '/projects')).body.items).toContainEqual(
      expect.objectContaining({ name: 'default', capture_bodies: null }),
    );
    const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=2');
    expect(audit.body.items.map((item) => [item.action, (item.after as ProjectView).capture_bodies])).toEqual([
      ['project.update', null],
      ['project.update', false],
    ]);

    const bad = await owner<AdminError>('PATCH', '/projects/default', { capture_bodies: 'yes' });
    expect([bad.status, bad.body.error.code, bad.body.error.details?.field]).toEqual([400, 'invalid_request', 'capture_bodies']);
    expect((await owner<AdminError>('PATCH', '/projects/default', {})).status).toBe(400);
    expect((await owner<AdminError>('PATCH', '/projects/nope', { capture_bodies: true })).status).toBe(404);
    const viewerToken = await owner<AdminTokenView & { token: string }>('POST', '/tokens', { name: 'capture-viewer', role: 'viewer' });
    const viewer = adminClient(gateway.origin, viewerToken.body.token);
    expect((await viewer<AdminError>('PATCH', '/projects/default', { capture_bodies: true })).status).toBe(403);
  });
});
