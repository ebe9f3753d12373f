/**
 * The admin API end to end: the built gateway in embedded mode over real HTTP, started with no admin token
 * configured (so it creates and prints its first owner token), the fake upstream behind its channels.
 */
import type { AdminTokenView, ApiKeyView, AuditEntryView, Page, ProjectView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, chatWithKey, printedOwnerTokens, type AdminCall, type AdminError } from './support/admin-client';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(90_000);

type CreatedToken = AdminTokenView & { token: string };
type CreatedKey = ApiKeyView & { key: string };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('admin API (embedded gateway)', () => {
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let ownerToken: string;
  let owner: AdminCall;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream);
    const printed = printedOwnerTokens(gateway.output());
    expect(printed).toHaveLength(1);
    ownerToken = printed[0]!;
    owner = adminClient(gateway.origin, ownerToken);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  /** The model the upstream was asked for by the latest request. */
  const lastUpstreamModel = (): unknown => (upstream.requests[upstream.requests.length - 1]?.body as { model?: unknown })?.model;

  describe('first start and authentication', () => {
    it('prints the first owner token once, with the next step, and the token works', async () => {
      const output = gateway.output();
      expect(output).toContain('shown this once only');
      expect(output).toContain(`curl -s -X POST ${gateway.origin}/admin/v1/api-keys`);
      const projects = await owner<{ items: ProjectView[] }>('GET', '/projects');
      expect(projects.status).toBe(200);
      expect(projects.body.items.map((project) => project.name)).toEqual(['default']);
      const tokens = await owner<{ items: AdminTokenView[] }>('GET', '/tokens');
      expect(tokens.body.items).toEqual([expect.objectContaining({ name: 'first-owner', role: 'owner', project: null, state: 'active' })]);
      expect(ownerToken.startsWith(tokens.body.items[0]!.prefix)).toBe(true);
      expect(tokens.text).not.toContain(ownerToken);
    });

    it('answers 401 in the admin envelope without a token or with an unknown one', async () => {
      for (const call of [adminClient(gateway.origin, undefined), adminClient(gateway.origin, 'ahadm-not-a-token')]) {
        const result = await call<AdminError>('GET', '/api-keys');
        expect(result.status).toBe(401);
        expect(result.body.error.code).toBe('unauthorized');
        expect(result.body).not.toHaveProperty('error.type'); // not OpenAI's envelope
      }
    });

    it('uses the admin envelope for unknown admin routes and malformed JSON too', async () => {
      const unknown = await owner<AdminError>('GET', '/no-such-thing');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
      const response = await fetch(`${gateway.origin}/admin/v1/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ownerToken}`, 'content-type': 'application/json' },
        body: '{"name":',
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as AdminError).error.code).toBe('invalid_request');
    });

    it('serves the OpenAPI document without a token', async () => {
      const document = await adminClient(gateway.origin, undefined)<{ openapi: string; paths: Record<string, unknown> }>(
        'GET',
        '/openapi.json',
      );
      expect(document.status).toBe(200);
      expect(document.body.openapi).toBe('3.1.0');
      expect(Object.keys(document.body.paths)).toContain('/api-keys/{id}/active-profile');
    });
  });

  describe('roles and project isolation', () => {
    let viewer: AdminCall;
    let alphaDeveloper: AdminCall;
    let betaKeyId: string;

    beforeAll(async () => {
      expect((await owner('POST', '/projects', { name: 'alpha' })).status).toBe(201);
      expect((await owner('POST', '/projects', { name: 'beta' })).status).toBe(201);
      const viewerToken = await owner<CreatedToken>('POST', '/tokens', { name: 'ops-viewer', role: 'viewer' });
      expect(viewerToken.status).toBe(201);
      viewer = adminClient(gateway.origin, viewerToken.body.token);
      const developerToken = await owner<CreatedToken>('POST', '/tokens', { name: 'alpha-dev', role: 'developer', project: 'alpha' });
      expect(developerToken.body).toMatchObject({ role: 'developer', project: 'alpha' });
      alphaDeveloper = adminClient(gateway.origin, developerToken.body.token);
      const betaKey = await owner('POST', '/api-keys', { name: 'beta-key', project: 'beta' });
      expect(betaKey.status).toBe(201);
      betaKeyId = betaKey.body.id;
    });

    it('a viewer reads but changes nothing (403 in the admin envelope)', async () => {
      expect((await viewer('GET', '/api-keys')).status).toBe(200);
      expect((await viewer('GET', `/api-keys/${betaKeyId}/profiles`)).status).toBe(200);
      const attempts = [
        await viewer<AdminError>('POST', '/api-keys', { name: 'nope' }),
        await viewer<AdminError>('DELETE', `/api-keys/${betaKeyId}`),
        await viewer<AdminError>('PUT', `/api-keys/${betaKeyId}/active-profile`, { profile: null }),
        await viewer<AdminError>('POST', `/api-keys/${betaKeyId}/profiles`, { name: 'p', rules: [] }),
        await viewer<AdminError>('POST', '/projects', { name: 'gamma' }),
        await viewer<AdminError>('POST', '/tokens', { name: 'x', role: 'viewer' }),
      ];
      expect(attempts.map((attempt) => [attempt.status, attempt.body.error.code])).toEqual(Array(6).fill([403, 'forbidden']));
      expect((await owner('GET', `/api-keys/${betaKeyId}`)).body.state).toBe('active');
    });

    it('a developer manages keys of its own project only; other projects are 404, never 403', async () => {
      const created = await alphaDeveloper('POST', '/api-keys', { name: 'alpha-key' });
      expect(created.status).toBe(201);
      expect(created.body.project).toBe('alpha');
      const list = await alphaDeveloper<{ items: ApiKeyView[] }>('GET', '/api-keys');
      expect(list.body.items.map((key) => key.name)).toEqual(['alpha-key']);
      expect((await alphaDeveloper<{ items: ProjectView[] }>('GET', '/projects')).body.items.map((project) => project.name)).toEqual([
        'alpha',
      ]);
      const foreign = [
        await alphaDeveloper<AdminError>('GET', `/api-keys/${betaKeyId}`),
        await alphaDeveloper<AdminError>('DELETE', `/api-keys/${betaKeyId}`),
        await alphaDeveloper<AdminError>('GET', `/api-keys/${betaKeyId}/profiles`),
        await alphaDeveloper<AdminError>('POST', `/api-keys/${betaKeyId}/dry-run`, { model: 'gpt-4' }),
        await alphaDeveloper<AdminError>('POST', '/api-keys', { name: 'sneaky', project: 'beta' }),
      ];
      expect(foreign.map((attempt) => attempt.status)).toEqual([404, 404, 404, 404, 404]);
      expect((await alphaDeveloper<AdminError>('POST', '/projects', { name: 'gamma' })).status).toBe(403);
      expect((await owner('GET', `/api-keys/${betaKeyId}`)).body.state).toBe('active');
      // The audit log of a project-scoped token shows its project's changes only.
      const audit = await alphaDeveloper<Page<AuditEntryView>>('GET', '/audit');
      expect(audit.body.items.length).toBeGreaterThan(0);
      const alphaId = (await alphaDeveloper<{ items: ProjectView[] }>('GET', '/projects')).body.items[0]!.id;
      expect(audit.body.items.every((entry) => entry.project === alphaId)).toBe(true);
      expect(JSON.stringify(audit.body)).not.toContain(betaKeyId);
    });

    it('a token cannot create a token above its own role', async () => {
      const admin = await owner<CreatedToken>('POST', '/tokens', { name: 'beta-admin', role: 'admin', project: 'beta' });
      const betaAdmin = adminClient(gateway.origin, admin.body.token);
      const escalation = await betaAdmin<AdminError>('POST', '/tokens', { name: 'new-owner', role: 'owner' });
      expect(escalation.status).toBe(403);
      const sideways = await betaAdmin<AdminError>('POST', '/tokens', { name: 'alpha-viewer', role: 'viewer', project: 'alpha' });
      expect(sideways.status).toBe(404);
    });
  });

  describe('API keys and profiles on the data plane', () => {
    let key: { id: string; key: string };

    beforeAll(async () => {
      const created = await owner('POST', '/api-keys', {
        name: 'codex-laptop',
        allowed_models: ['gpt-4'],
        limits: { requests_per_minute: 60, monthly_token_quota: 1_000_000 },
      });
      expect(created.status).toBe(201);
      key = created.body as { id: string; key: string };
    });

    it('shows the secret once at creation, then only its prefix', async () => {
      expect(key.key).toMatch(/^ah-/);
      const one = await owner<ApiKeyView>('GET', `/api-keys/${key.id}`);
      expect(one.body).toMatchObject({
        name: 'codex-laptop',
        project: 'default',
        active_profile: null,
        state: 'active',
        allowed_models: ['gpt-4'],
        limits: { requests_per_minute: 60, monthly_token_quota: 1_000_000 },
      });
      expect(key.key.startsWith(one.body.prefix)).toBe(true);
      expect(one.body.prefix.length).toBeLessThan(12);
      const list = await owner<{ items: ApiKeyView[] }>('GET', '/api-keys');
      expect(list.body.items.map((item) => item.id)).toContain(key.id);
      for (const text of [one.text, list.text, (await owner('GET', '/audit?limit=200')).text]) expect(text).not.toContain(key.key);
    });

    it('a key created through the API authenticates on /v1/chat/completions', async () => {
      expect(await chatWithKey(gateway.baseUrl, key.key, MODELS.chatUpstream)).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.chatUpstream);
    });

    it('refuses a profile with a bad regex with a 400 naming the rule', async () => {
      const result = await owner<AdminError>('POST', `/api-keys/${key.id}/profiles`, {
        name: 'broken',
        rules: [
          { from: 'gpt-4', to: MODELS.chatUpstream },
          { from: 'gpt-(4', to: MODELS.chatUpstream },
        ],
      });
      expect(result.status).toBe(400);
      expect(result.body.error.message).toMatch(/^rules\[1\]: from "gpt-\(4" is not a valid regex/);
      expect(result.body.error.details).toEqual({ field: 'rules', rule: 1 });
      expect((await owner('GET', `/api-keys/${key.id}/profiles`)).body.items).toEqual([]);
    });

    it('switching the active profile changes the very next request’s mapped model, without a restart', async () => {
      const chat = await owner('POST', `/api-keys/${key.id}/profiles`, {
        name: 'chat',
        rules: [{ from: 'gpt-4', to: MODELS.chatUpstream }],
      });
      expect(chat.status).toBe(201);
      const slow = await owner('POST', `/api-keys/${key.id}/profiles`, {
        name: 'slow',
        rules: [{ from: 'gpt-4.*', to: MODELS.slowUpstream }],
      });
      expect(slow.body).toEqual({ name: 'slow', active: false, rules: [{ from: 'gpt-4.*', to: MODELS.slowUpstream }] });
      expect((await owner('POST', `/api-keys/${key.id}/profiles`, { name: 'chat', rules: [] })).status).toBe(409);

      expect((await owner('PUT', `/api-keys/${key.id}/active-profile`, { profile: 'chat' })).body.active_profile).toBe('chat');
      expect(await chatWithKey(gateway.baseUrl, key.key, 'gpt-4')).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.chatUpstream);

      expect((await owner('PUT', `/api-keys/${key.id}/active-profile`, { profile: 'slow' })).status).toBe(200);
      expect(await chatWithKey(gateway.baseUrl, key.key, 'gpt-4')).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.slowUpstream);

      const dryRun = await owner('POST', `/api-keys/${key.id}/dry-run`, { model: 'gpt-4o' });
      expect(dryRun.body).toEqual({
        model: 'gpt-4o',
        profile: 'slow',
        mapped_model: MODELS.slowUpstream,
        channel: { name: 'fake-slow-chat', type: 'openai' },
      });
      const other = await owner('POST', `/api-keys/${key.id}/dry-run`, { model: 'gpt-4o', profile: 'chat' });
      expect(other.body).toMatchObject({ profile: 'chat', mapped_model: 'gpt-4o', channel: null });

      const unknown = await owner<AdminError>('PUT', `/api-keys/${key.id}/active-profile`, { profile: 'nope' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('chat, slow');
    });

    it('edits and deletes profiles; the active one cannot be deleted', async () => {
      const edited = await owner('PUT', `/api-keys/${key.id}/profiles/slow`, { rules: [{ from: 'gpt-4', to: MODELS.chatUpstream }] });
      expect(edited.body).toEqual({ name: 'slow', active: true, rules: [{ from: 'gpt-4', to: MODELS.chatUpstream }] });
      expect(await chatWithKey(gateway.baseUrl, key.key, 'gpt-4')).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.chatUpstream);
      expect((await owner<AdminError>('DELETE', `/api-keys/${key.id}/profiles/slow`)).status).toBe(409);
      expect((await owner('DELETE', `/api-keys/${key.id}/profiles/chat`)).status).toBe(204);
      expect((await owner('GET', `/api-keys/${key.id}/profiles/chat`)).status).toBe(404);
      expect((await owner('PUT', `/api-keys/${key.id}/profiles/chat`, { rules: [] })).status).toBe(404);
    });

    it('revocation: the very next request with the key is a 401', async () => {
      expect(await chatWithKey(gateway.baseUrl, key.key, MODELS.chatUpstream)).toBe(200); // cached as valid
      const revoked = await owner('DELETE', `/api-keys/${key.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.state).toBe('revoked');
      expect(await chatWithKey(gateway.baseUrl, key.key, MODELS.chatUpstream)).toBe(401);
      expect((await owner('GET', `/api-keys/${key.id}`)).body.state).toBe('revoked');
    });

    it('an expired key is refused even while its decision is cached', async () => {
      const created = await owner<CreatedKey>('POST', '/api-keys', {
        name: 'short-lived',
        expires_at: new Date(Date.now() + 2_000).toISOString(),
      });
      expect(created.status).toBe(201);
      expect(await chatWithKey(gateway.baseUrl, created.body.key, MODELS.chatUpstream)).toBe(200);
      await sleep(2_200);
      expect(await chatWithKey(gateway.baseUrl, created.body.key, MODELS.chatUpstream)).toBe(401);
      expect((await owner('GET', `/api-keys/${created.body.id}`)).body.state).toBe('expired');
      const past = await owner<AdminError>('POST', '/api-keys', { name: 'already-over', expires_at: '2001-01-01T00:00:00Z' });
      expect(past.status).toBe(400);
    });

    it('records every change in the audit log, paginated, newest first, with who and before/after', async () => {
      const first = await owner<Page<AuditEntryView>>('GET', '/audit?limit=3');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(3);
      expect(first.body.next_cursor).toEqual(first.body.items[2]!.id);
      const second = await owner<Page<AuditEntryView>>('GET', `/audit?limit=3&cursor=${first.body.next_cursor}`);
      expect(Number(second.body.items[0]!.id)).toBeLessThan(Number(first.body.items[2]!.id));
      type ViewRecord = Record<string, unknown> | null;
      const all = (await owner<Page<AuditEntryView>>('GET', '/audit?limit=200')).body.items.map((entry) => ({
        ...entry,
        before: entry.before as ViewRecord,
        after: entry.after as ViewRecord,
      }));
      const actions = all.map((entry) => entry.action);
      for (const action of [
        'project.create',
        'admin_token.create',
        'api_key.create',
        'profile.create',
        'profile.update',
        'profile.delete',
        'api_key.set_active_profile',
        'api_key.revoke',
      ]) {
        expect(actions).toContain(action);
      }
      const revoke = all.find((entry) => entry.action === 'api_key.revoke' && entry.after?.name === 'codex-laptop');
      expect(revoke).toMatchObject({ actor: { token_name: 'first-owner' }, before: { state: 'active' }, after: { state: 'revoked' } });
      const switched = all.find((entry) => entry.action === 'api_key.set_active_profile' && entry.after?.active_profile === 'slow');
      expect(switched?.before?.active_profile).toBe('chat');
      expect((await owner<AdminError>('GET', '/audit?limit=0')).status).toBe(400);
    });
  });
});
