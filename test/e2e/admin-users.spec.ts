/**
 * Users, login sessions and admin-token revocation end to end: the built gateway in embedded mode over real
 * HTTP, its first owner token printed at start. Users in two projects with different roles log in and call
 * every write route their role forbids; a project's user never sees the other project; passwords appear in
 * no answer and no audit entry; expiry, logout, revocation and user deletion take effect on the next call.
 */
import { randomBytes } from 'node:crypto';
import type { AdminTokenView, ApiKeyView, AuditEntryView, Page, SessionView, UserView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, printedOwnerTokens, type AdminCall, type AdminError, type AdminResult } from './support/admin-client';
import { startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(120_000);

/** Short, so the expiry test waits seconds; every test logs in just before it uses a session. */
const SESSION_TTL_SECONDS = 12;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Every password the tests chose, to search every answer and the audit for them at the end. */
const passwords: string[] = [];
const password = (): string => {
  const chosen = `pw-${randomBytes(12).toString('base64url')}`;
  passwords.push(chosen);
  return chosen;
};

interface TestUser {
  id: string;
  name: string;
  password: string;
}

describe('admin users and sessions (embedded gateway)', () => {
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let owner: AdminCall;
  let anonymous: AdminCall;
  /** Every answer body the tests received, to search for passwords at the end. */
  const answers: string[] = [];
  const users: Record<'alphaAdmin' | 'alphaDeveloper' | 'alphaViewer' | 'betaDeveloper', TestUser> = {} as never;
  let betaKey: ApiKeyView;
  let alphaKey: ApiKeyView;

  const recorded =
    (call: AdminCall): AdminCall =>
    async (method, path, body) => {
      const result = await call(method, path, body);
      answers.push(result.text);
      return result as never;
    };

  const login = async (user: TestUser, project?: string): Promise<AdminResult<SessionView>> =>
    anonymous<SessionView>('POST', '/login', { name: user.name, password: user.password, ...(project === undefined ? {} : { project }) });

  /** A client acting with a fresh session of the user. */
  const sessionOf = async (user: TestUser, project?: string): Promise<{ call: AdminCall; session: SessionView }> => {
    const result = await login(user, project);
    expect(result.status).toBe(200);
    return { call: recorded(adminClient(gateway.origin, result.body.token)), session: result.body };
  };

  const createUser = async (name: string, role: string, project: string | null): Promise<TestUser> => {
    const secret = password();
    const created = await owner<UserView>('POST', '/users', { name, password: secret, role, project });
    expect(created.status).toBe(201);
    return { id: created.body.id, name, password: secret };
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream, { config: { admin: { session_ttl_hours: SESSION_TTL_SECONDS / 3600 } } });
    const printed = printedOwnerTokens(gateway.output());
    expect(printed).toHaveLength(1);
    owner = recorded(adminClient(gateway.origin, printed[0]));
    anonymous = recorded(adminClient(gateway.origin, undefined));
    for (const name of ['alpha', 'beta']) expect((await owner('POST', '/projects', { name })).status).toBe(201);
    users.alphaAdmin = await createUser('ada@alpha.example', 'admin', 'alpha');
    users.alphaDeveloper = await createUser('dev@alpha.example', 'developer', 'alpha');
    users.alphaViewer = await createUser('vic@alpha.example', 'viewer', 'alpha');
    users.betaDeveloper = await createUser('bob@beta.example', 'developer', 'beta');
    betaKey = (await owner<ApiKeyView>('POST', '/api-keys', { name: 'beta-key', project: 'beta' })).body;
    expect((await owner('POST', `/api-keys/${betaKey.id}/profiles`, { name: 'beta-profile', rules: [] })).status).toBe(201);
    alphaKey = (await owner<ApiKeyView>('POST', '/api-keys', { name: 'alpha-key', project: 'alpha' })).body;
    expect((await owner('POST', `/api-keys/${alphaKey.id}/profiles`, { name: 'alpha-profile', rules: [] })).status).toBe(201);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  describe('users', () => {
    it('shows users with their roles, never a password or hash; refuses short passwords and duplicate names', async () => {
      const list = await owner<{ items: UserView[] }>('GET', '/users');
      expect(list.status).toBe(200);
      expect(list.body.items.find((user) => user.name === 'ada@alpha.example')).toEqual({
        id: users.alphaAdmin.id,
        name: 'ada@alpha.example',
        roles: [{ project: 'alpha', role: 'admin' }],
        created_at: expect.any(String),
      });
      expect(list.text).not.toMatch(/password|scrypt/i);
      const short = await owner<AdminError>('POST', '/users', {
        name: 'shorty',
        password: 'elevenchars',
        role: 'viewer',
        project: 'alpha',
      });
      expect(short.status).toBe(400);
      expect(short.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'password' } });
      const twice = await owner<AdminError>('POST', '/users', { name: 'ada@alpha.example', password: password(), role: 'viewer' });
      expect(twice.status).toBe(409);
      expect((await owner<AdminError>('POST', '/users', { name: 'x', password: password(), role: 'root' })).status).toBe(400);
    });

    it('login gives a session whose role and project apply', async () => {
      const { call, session } = await sessionOf(users.alphaDeveloper);
      expect(session).toEqual({
        token: expect.stringMatching(/^ahadm-/),
        expires_at: expect.any(String),
        role: 'developer',
        project: 'alpha',
      });
      const expiresIn = Date.parse(session.expires_at) - Date.now();
      expect(expiresIn).toBeGreaterThan(0);
      expect(expiresIn).toBeLessThanOrEqual(SESSION_TTL_SECONDS * 1000);
      const keys = await call<{ items: ApiKeyView[] }>('GET', '/api-keys');
      expect(keys.body.items.map((key) => key.name)).toEqual(['alpha-key']);
      const created = await call<ApiKeyView>('POST', '/api-keys', { name: 'made-by-dev' });
      expect(created.body).toMatchObject({ project: 'alpha' });
      // The session is listed with the tokens, linked to its user; the audit names it.
      const tokens = await owner<{ items: AdminTokenView[] }>('GET', '/tokens');
      expect(tokens.body.items).toContainEqual(
        expect.objectContaining({
          name: 'session:dev@alpha.example',
          role: 'developer',
          project: 'alpha',
          user_id: users.alphaDeveloper.id,
        }),
      );
      const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=5');
      expect(audit.body.items[0]).toMatchObject({ action: 'api_key.create', actor: { token_name: 'session:dev@alpha.example' } });
    });

    it('a wrong password and an unknown name get the same 401', async () => {
      const wrong = await anonymous<AdminError>('POST', '/login', { name: users.alphaViewer.name, password: 'not-the-password-at-all' });
      const unknown = await anonymous<AdminError>('POST', '/login', {
        name: 'nobody@nowhere.example',
        password: 'not-the-password-at-all',
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.text).toBe(unknown.text);
      expect(wrong.body.error.code).toBe('unauthorized');
      const noRole = await anonymous<AdminError>('POST', '/login', { ...users.alphaViewer, project: 'beta' });
      expect(noRole.status).toBe(403);
    });
  });

  describe('roles and project isolation', () => {
    it('a viewer changes nothing: every write route is a 403', async () => {
      const { call } = await sessionOf(users.alphaViewer);
      expect((await call('GET', '/api-keys')).status).toBe(200);
      expect((await call('GET', '/users')).status).toBe(200);
      const other = users.alphaDeveloper.id;
      const writes: ['POST' | 'PUT' | 'DELETE', string, unknown?][] = [
        ['POST', '/projects', { name: 'gamma' }],
        ['POST', '/tokens', { name: 'x', role: 'viewer' }],
        ['DELETE', `/tokens/${users.alphaViewer.id}`],
        ['POST', '/api-keys', { name: 'nope' }],
        ['DELETE', `/api-keys/${alphaKey.id}`],
        ['PUT', `/api-keys/${alphaKey.id}/active-profile`, { profile: 'alpha-profile' }],
        ['POST', `/api-keys/${alphaKey.id}/profiles`, { name: 'p', rules: [] }],
        ['PUT', `/api-keys/${alphaKey.id}/profiles/alpha-profile`, { rules: [] }],
        ['DELETE', `/api-keys/${alphaKey.id}/profiles/alpha-profile`],
        ['POST', '/users', { name: 'new@alpha.example', password: password(), role: 'viewer' }],
        ['DELETE', `/users/${other}`],
        ['PUT', `/users/${other}/roles`, { project: 'alpha', role: 'viewer' }],
        ['DELETE', `/users/${other}/roles/alpha`],
        ['PUT', `/users/${other}/password`, { password: password() }],
      ];
      const statuses = [];
      for (const [method, path, body] of writes) {
        const result = await call<AdminError>(method, path, body);
        statuses.push([method, path, result.status, result.body?.error?.code]);
      }
      expect(statuses).toEqual(writes.map(([method, path]) => [method, path, 403, 'forbidden']));
      expect((await owner<ApiKeyView>('GET', `/api-keys/${alphaKey.id}`)).body).toMatchObject({ state: 'active', active_profile: null });
      expect((await owner('GET', `/api-keys/${alphaKey.id}/profiles/alpha-profile`)).status).toBe(200);
      expect((await owner<UserView>('GET', `/users/${other}`)).body.roles).toEqual([{ project: 'alpha', role: 'developer' }]);
    });

    it("a developer of project A gets 404 for project B's key, profile, user, project and audit entries", async () => {
      const { call } = await sessionOf(users.alphaDeveloper);
      const foreign = [
        await call<AdminError>('GET', `/api-keys/${betaKey.id}`),
        await call<AdminError>('DELETE', `/api-keys/${betaKey.id}`),
        await call<AdminError>('GET', `/api-keys/${betaKey.id}/profiles`),
        await call<AdminError>('GET', `/api-keys/${betaKey.id}/profiles/beta-profile`),
        await call<AdminError>('PUT', `/api-keys/${betaKey.id}/profiles/beta-profile`, { rules: [] }),
        await call<AdminError>('GET', `/users/${users.betaDeveloper.id}`),
        await call<AdminError>('GET', '/projects/beta'),
      ];
      expect(foreign.map((result) => [result.status, result.body.error.code])).toEqual(Array(foreign.length).fill([404, 'not_found']));
      expect((await call('GET', '/projects/alpha')).body).toMatchObject({ name: 'alpha' });
      const listed = await call<{ items: UserView[] }>('GET', '/users');
      expect(listed.body.items.map((user) => user.name).sort()).toEqual(['ada@alpha.example', 'dev@alpha.example', 'vic@alpha.example']);
      const audit = await call<Page<AuditEntryView>>('GET', '/audit?limit=200');
      expect(audit.body.items.length).toBeGreaterThan(0);
      const alphaId = (await call<{ id: string }>('GET', '/projects/alpha')).body.id;
      expect(audit.body.items.every((entry) => entry.project === alphaId)).toBe(true);
      for (const secret of [betaKey.id, users.betaDeveloper.id, 'beta-profile']) expect(audit.text).not.toContain(secret);
      expect((await owner<ApiKeyView>('GET', `/api-keys/${betaKey.id}`)).body.state).toBe('active');
    });

    it('a project admin manages its project’s users only, never above its own role', async () => {
      const { call } = await sessionOf(users.alphaAdmin);
      const created = await call<UserView>('POST', '/users', { name: 'new@alpha.example', password: password(), role: 'developer' });
      expect(created.status).toBe(201);
      expect(created.body.roles).toEqual([{ project: 'alpha', role: 'developer' }]);
      expect((await call<AdminError>('POST', '/users', { name: 'o@alpha.example', password: password(), role: 'owner' })).status).toBe(403);
      expect(
        (await call<AdminError>('POST', '/users', { name: 'g@x.example', password: password(), role: 'viewer', project: null })).status,
      ).toBe(403);
      expect(
        (await call<AdminError>('POST', '/users', { name: 'b@x.example', password: password(), role: 'viewer', project: 'beta' })).status,
      ).toBe(404);
      expect((await call<AdminError>('PUT', `/users/${users.betaDeveloper.id}/roles`, { project: 'alpha', role: 'viewer' })).status).toBe(
        404,
      );
      expect((await call<AdminError>('PUT', `/users/${created.body.id}/roles`, { project: 'alpha', role: 'owner' })).status).toBe(403);
      const promoted = await call<UserView>('PUT', `/users/${created.body.id}/roles`, { project: 'alpha', role: 'admin' });
      expect(promoted.body.roles).toEqual([{ project: 'alpha', role: 'admin' }]);
      // A user with a role in another project is managed there too: not deleted, its password not set from here.
      expect((await owner('PUT', `/users/${created.body.id}/roles`, { project: 'beta', role: 'viewer' })).status).toBe(200);
      expect((await call<AdminError>('DELETE', `/users/${created.body.id}`)).status).toBe(403);
      expect((await call<AdminError>('PUT', `/users/${created.body.id}/password`, { password: password() })).status).toBe(403);
      expect((await call<UserView>('GET', `/users/${created.body.id}`)).body.roles).toEqual([{ project: 'alpha', role: 'admin' }]);
      expect((await call('DELETE', `/users/${created.body.id}/roles/alpha`)).status).toBe(204);
      expect((await call('GET', `/users/${created.body.id}`)).status).toBe(404);
      expect((await owner<UserView>('GET', `/users/${created.body.id}`)).body.roles).toEqual([{ project: 'beta', role: 'viewer' }]);
    });

    it('a changed role applies to a session already open', async () => {
      const temp = await createUser('temp@alpha.example', 'developer', 'alpha');
      const { call } = await sessionOf(temp);
      expect((await call('POST', '/api-keys', { name: 'temp-key-1' })).status).toBe(201);
      expect((await owner('PUT', `/users/${temp.id}/roles`, { project: 'alpha', role: 'viewer' })).status).toBe(200);
      expect((await call('POST', '/api-keys', { name: 'temp-key-2' })).status).toBe(403);
      expect((await owner('DELETE', `/users/${temp.id}/roles/alpha`)).status).toBe(204);
      expect((await call('GET', '/api-keys')).status).toBe(401);
    });
  });

  describe('sessions end', () => {
    it('at their expiry', async () => {
      const { call, session } = await sessionOf(users.alphaViewer);
      expect((await call('GET', '/api-keys')).status).toBe(200);
      await sleep(Math.max(0, Date.parse(session.expires_at) - Date.now()) + 300);
      const expired = await call<AdminError>('GET', '/api-keys');
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('unauthorized');
    });

    it('at logout, on the next call; other sessions of the user go on', async () => {
      const first = await sessionOf(users.alphaViewer);
      const second = await sessionOf(users.alphaViewer);
      expect((await first.call('POST', '/logout')).status).toBe(204);
      expect((await first.call('GET', '/api-keys')).status).toBe(401);
      expect((await second.call('GET', '/api-keys')).status).toBe(200);
      expect((await owner<AdminError>('POST', '/logout')).status).toBe(400); // a plain token is revoked by id
    });

    it('when revoked with DELETE /tokens/{id}, on the next call; never above the caller, never the last owner', async () => {
      const viewer = await sessionOf(users.alphaViewer);
      const admin = await sessionOf(users.alphaAdmin);
      const tokens = await admin.call<{ items: AdminTokenView[] }>('GET', '/tokens');
      const viewerSession = tokens.body.items.find(
        (token) => token.user_id === users.alphaViewer.id && viewer.session.token.startsWith(token.prefix),
      );
      expect(viewerSession).toBeDefined();
      expect(tokens.body.items.every((token) => token.project === 'alpha')).toBe(true);
      expect((await viewer.call('GET', '/api-keys')).status).toBe(200);
      expect((await admin.call('DELETE', `/tokens/${viewerSession!.id}`)).status).toBe(204);
      expect((await viewer.call('GET', '/api-keys')).status).toBe(401);
      const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=1');
      expect(audit.body.items[0]).toMatchObject({
        action: 'admin_token.revoke',
        resource: { type: 'admin_token', id: viewerSession!.id },
        before: { state: 'active' },
        after: { state: 'revoked' },
      });

      const all = await owner<{ items: AdminTokenView[] }>('GET', '/tokens');
      const firstOwner = all.body.items.find((token) => token.name === 'first-owner')!;
      expect((await admin.call<AdminError>('DELETE', `/tokens/${firstOwner.id}`)).status).toBe(404); // outside alpha
      const ownerToken = await owner<AdminTokenView & { token: string }>('POST', '/tokens', {
        name: 'alpha-owner',
        role: 'owner',
        project: 'alpha',
      });
      expect((await admin.call<AdminError>('DELETE', `/tokens/${ownerToken.body.id}`)).status).toBe(403);
      const last = await owner<AdminError>('DELETE', `/tokens/${firstOwner.id}`);
      expect(last.status).toBe(409);
      expect(last.body.error.code).toBe('conflict');
      expect((await owner('GET', '/tokens')).status).toBe(200);
      expect((await owner<AdminError>('DELETE', '/tokens/not-a-uuid')).status).toBe(404);
    });

    it('when the user is deleted: its sessions and its password stop working', async () => {
      const gone = await createUser('gone@beta.example', 'viewer', 'beta');
      const { call } = await sessionOf(gone);
      expect((await call('GET', '/api-keys')).status).toBe(200);
      expect((await owner('DELETE', `/users/${gone.id}`)).status).toBe(204);
      expect((await call('GET', '/api-keys')).status).toBe(401);
      expect((await login(gone)).status).toBe(401);
      expect((await owner('GET', `/users/${gone.id}`)).status).toBe(404);
    });

    it('a user changes its own password: the old one and its other sessions stop working', async () => {
      const other = await sessionOf(users.betaDeveloper);
      const { call } = await sessionOf(users.betaDeveloper);
      const renewed = password();
      expect((await call('PUT', `/users/${users.betaDeveloper.id}/password`, { password: renewed })).status).toBe(204);
      expect((await call('GET', '/api-keys')).status).toBe(200);
      expect((await other.call('GET', '/api-keys')).status).toBe(401);
      const old = { ...users.betaDeveloper };
      expect((await login(old)).status).toBe(401);
      users.betaDeveloper.password = renewed;
      expect((await login(users.betaDeveloper)).status).toBe(200);
      // A developer may not set another user's password.
      expect((await call<AdminError>('PUT', `/users/${users.alphaViewer.id}/password`, { password: password() })).status).toBe(403);
    });
  });

  describe('the last owner credential', () => {
    it('may go once a gateway-wide owner user exists; that user then cannot delete itself or drop its role (409)', async () => {
      const root = await createUser('root@example.com', 'owner', null);
      const { call } = await sessionOf(root);
      const tokens = await call<{ items: AdminTokenView[] }>('GET', '/tokens');
      const firstOwner = tokens.body.items.find((token) => token.name === 'first-owner')!;
      expect((await call('DELETE', `/tokens/${firstOwner.id}`)).status).toBe(204);
      expect((await owner('GET', '/tokens')).status).toBe(401);
      const selfDelete = await call<AdminError>('DELETE', `/users/${root.id}`);
      expect([selfDelete.status, selfDelete.body.error.code]).toEqual([409, 'conflict']);
      expect((await call<AdminError>('DELETE', `/users/${root.id}/roles/_gateway`)).status).toBe(409);
      expect((await call<AdminError>('PUT', `/users/${root.id}/roles`, { project: null, role: 'admin' })).status).toBe(409);
      expect((await call<UserView>('GET', `/users/${root.id}`)).body.roles).toEqual([{ project: null, role: 'owner' }]);
      owner = call; // the first-owner token is gone: the last test reads the audit as root
    });
  });

  describe('secrets', () => {
    it('no password appears in any answer or audit entry', async () => {
      const audit = await owner<Page<AuditEntryView>>('GET', '/audit?limit=200');
      expect(audit.body.items.map((entry) => entry.action)).toEqual(
        expect.arrayContaining([
          'user.create',
          'user.set_role',
          'user.remove_role',
          'user.delete',
          'user.set_password',
          'admin_token.revoke',
        ]),
      );
      const everything = [...answers, audit.text].join('\n');
      expect(passwords.length).toBeGreaterThan(10);
      for (const chosen of passwords) expect(everything).not.toContain(chosen);
      expect(everything).not.toMatch(/scrypt\$/);
    });
  });
});
