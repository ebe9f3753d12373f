/**
 * The `axonhub` CLI against the built gateway (embedded mode, started with no admin token so it prints its
 * first owner token): every command runs as a real child process through the package's bin launcher, over
 * real HTTP, and is judged on its output (table and --json), its exit code and its effect on the data plane.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdminTokenView, ApiKeyView, DryRunView, ProfileView, ProjectView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { getFreePort } from '../support/ports';
import { chatWithKey, printedOwnerTokens } from './support/admin-client';
import { cliRunner, type CliRun, type CliRunOptions } from './support/cli-runner';
import { MODELS, startEmbeddedGateway, type EmbeddedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(180_000);

type CreatedKey = ApiKeyView & { key: string };

describe('axonhub CLI (embedded gateway)', () => {
  let upstream: FakeUpstream;
  let gateway: EmbeddedGatewayUnderTest;
  let ownerToken: string;
  let configHome: string;
  let run: (args: string[], options?: CliRunOptions) => Promise<CliRun>;

  /** Runs the CLI and requires `code`, showing its output when it differs. */
  const expectRun = async (args: string[], code: number, options?: CliRunOptions): Promise<CliRun> => {
    const result = await run(args, options);
    if (result.code !== code)
      throw new Error(`axonhub ${args.join(' ')}: exit ${result.code}, expected ${code}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  const json = async <T>(args: string[], options?: CliRunOptions): Promise<T> =>
    JSON.parse((await expectRun([...args, '--json'], 0, options)).stdout) as T;
  const lastUpstreamModel = (): unknown => (upstream.requests[upstream.requests.length - 1]?.body as { model?: unknown })?.model;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream);
    ownerToken = printedOwnerTokens(gateway.output())[0]!;
    configHome = await mkdtemp(join(tmpdir(), 'gw-e2e-cli-'));
    run = cliRunner(configHome);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    if (configHome !== undefined) await rm(configHome, { recursive: true, force: true });
  });

  const sessionFile = (): string => join(configHome, 'axonhub', 'cli.json');

  describe('login', () => {
    it('refuses to work before a login, with exit 3 and the command to run', async () => {
      const result = await expectRun(['keys', 'list'], 3);
      expect(result.stderr).toContain('axonhub login');
      expect(result.stdout).toBe('');
    });

    it('does not save a token the gateway rejects (exit 3)', async () => {
      const result = await expectRun(['login', '--url', gateway.origin, '--token', 'ahadm-not-a-token'], 3);
      expect(result.stderr).toContain('unauthorized');
      expect(existsSync(sessionFile())).toBe(false);
    });

    it('exits 6 when the gateway cannot be reached', async () => {
      const closedPort = await getFreePort();
      const result = await expectRun(['login', '--url', `http://127.0.0.1:${closedPort}`, '--token-stdin'], 6, { stdin: ownerToken });
      expect(result.stderr).toContain('cannot reach the gateway');
    });

    it('the CLI step the first start prints works as printed (the token from AXONHUB_ADMIN_TOKEN)', async () => {
      const printed = /^ {2}npx axonhub (login --url \S+)$/m.exec(gateway.output())?.[1];
      expect(printed).toBe(`login --url ${gateway.origin}`);
      const login = await expectRun(printed!.split(' '), 0, { env: { AXONHUB_ADMIN_TOKEN: ownerToken } });
      expect(login.stdout).toContain(`Logged in to ${gateway.origin} as first-owner (owner)`);
      expect(JSON.parse(await readFile(sessionFile(), 'utf8'))).toMatchObject({ url: gateway.origin, token: ownerToken });
      await expectRun(['logout'], 0);
      expect(existsSync(sessionFile())).toBe(false);
    });

    it('logs in with a token from stdin, saves it 0600, and whoami names it', async () => {
      const login = await expectRun(['login', '--url', gateway.origin, '--token-stdin'], 0, { stdin: `${ownerToken}\n` });
      expect(login.stdout).toContain(`Logged in to ${gateway.origin}`);
      expect(login.stdout + login.stderr).not.toContain(ownerToken);
      expect(statSync(sessionFile()).mode & 0o777).toBe(0o600);
      expect(JSON.parse(await readFile(sessionFile(), 'utf8'))).toMatchObject({ url: gateway.origin, token: ownerToken, method: 'token' });
      const whoami = await json<{ url: string; role: string; name: string; projects: string[] }>(['whoami']);
      expect(whoami).toMatchObject({ url: gateway.origin, role: 'owner', name: 'first-owner', projects: ['default'] });
    });
  });

  describe('projects, keys, profiles and rules', () => {
    let created: CreatedKey;

    it('creates and lists projects; a duplicate is exit 5 with the API message', async () => {
      const project = await json<ProjectView>(['projects', 'create', 'team-a']);
      expect(project.name).toBe('team-a');
      const table = (await expectRun(['projects', 'list'], 0)).stdout.split('\n');
      expect(table[0]).toMatch(/^NAME\s+ID\s+CREATED$/);
      expect(table.some((line) => line.startsWith('team-a ') && line.includes(project.id))).toBe(true);
      const duplicate = await expectRun(['projects', 'create', 'team-a'], 5);
      expect(duplicate.stderr).toMatch(/conflict, HTTP 409/);
    });

    it('creates a key: the secret, the export line and a Codex config to paste; the key works', async () => {
      const result = await expectRun(['keys', 'create', 'codex'], 0);
      const secret = /^ {2}(ah-\S+)$/m.exec(result.stdout)?.[1];
      expect(secret).toBeDefined();
      expect(result.stdout).toContain(`export AXONHUB_API_KEY=${secret}`);
      expect(result.stdout).toContain(`base_url = "${gateway.baseUrl}"`);
      expect(result.stdout).toContain('wire_api = "responses"');
      expect(await chatWithKey(gateway.baseUrl, secret!, MODELS.chatUpstream)).toBe(200);
      const listed = await json<{ items: ApiKeyView[] }>(['keys', 'list']);
      created = { ...listed.items.find((key) => key.name === 'codex')!, key: secret! };
      expect(created.state).toBe('active');
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it('lists keys as a table and shows one by name or id', async () => {
      const table = (await expectRun(['keys', 'list'], 0)).stdout.split('\n');
      expect(table[0]).toMatch(/^NAME\s+ID\s+PROJECT\s+PREFIX\s+ACTIVE PROFILE\s+STATE\s+EXPIRES\s+CREATED$/);
      const row = table.find((line) => line.startsWith('codex '));
      expect(row).toMatch(new RegExp(`^codex\\s+${created.id}\\s+default\\s+${created.prefix}\\s+-\\s+active\\s`));
      expect((await json<ApiKeyView>(['keys', 'show', created.id])).name).toBe('codex');
      expect((await expectRun(['keys', 'show', 'codex'], 0)).stdout).toMatch(/^id:\s+\S+$/m);
      expect((await expectRun(['keys', 'show', 'no-such-key'], 4)).stderr).toContain('no API key named "no-such-key"');
    });

    it('refuses a name that is ambiguous across projects (exit 5) and takes --project', async () => {
      await json(['keys', 'create', 'shared']);
      await json(['keys', 'create', 'shared', '--project', 'team-a']);
      expect((await expectRun(['keys', 'show', 'shared'], 5)).stderr).toMatch(/names several API keys: default .*team-a/);
      expect((await json<ApiKeyView>(['keys', 'show', 'shared', '--project', 'team-a'])).project).toBe('team-a');
    });

    it('creates two profiles; a bad regex is exit 5 naming the rule', async () => {
      const fast = await json<ProfileView>([
        'profiles',
        'create',
        'fast',
        '--key',
        'codex',
        '--rule',
        `${MODELS.codex}=${MODELS.chatUpstream}`,
      ]);
      expect(fast.rules).toEqual([{ from: MODELS.codex, to: MODELS.chatUpstream }]);
      await json(['profiles', 'create', 'deep', '--key', 'codex', '--rule', `${MODELS.codex}=${MODELS.responsesUpstream}`]);
      const bad = await expectRun(['profiles', 'create', 'broken', '--key', 'codex', '--rule', 'gpt-(4=x'], 5);
      expect(bad.stderr).toContain('rules[0]');
      expect((await expectRun(['profiles', 'create', 'x', '--key', 'codex', '--rule', 'no-equals-sign'], 2)).stderr).toContain('FROM=TO');
      const table = (await expectRun(['profiles', 'list', '--key', 'codex'], 0)).stdout;
      expect(table).toMatch(/^deep\s+no\s+gpt-5 -> gpt-4\.1-nano-responses$/m);
    });

    it('switches the active profile live: the next request and the dry-run use the new mapping', async () => {
      expect((await expectRun(['profiles', 'use', 'fast', '--key', 'codex'], 0)).stdout).toContain('now uses profile "fast"');
      expect(await chatWithKey(gateway.baseUrl, created.key, MODELS.codex)).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.chatUpstream);
      const fast = await json<DryRunView>(['dry-run', MODELS.codex, '--key', 'codex']);
      expect(fast).toMatchObject({ profile: 'fast', mapped_model: MODELS.chatUpstream, channel: { name: gateway.channelNames.chat } });

      await expectRun(['profiles', 'use', 'deep', '--key', created.id], 0);
      expect(await chatWithKey(gateway.baseUrl, created.key, MODELS.codex)).toBe(200);
      expect(lastUpstreamModel()).toBe(MODELS.responsesUpstream);
      const deep = await expectRun(['dry-run', MODELS.codex, '--key', 'codex'], 0);
      expect(deep.stdout).toContain(`${MODELS.codex} -> ${MODELS.responsesUpstream} via channel ${gateway.channelNames.responses}`);
      expect((await expectRun(['profiles', 'use', 'nope', '--key', 'codex'], 5)).stderr).toContain('fast');
    });

    it('adds, moves and removes ordered rules', async () => {
      const rules = async (): Promise<string[]> =>
        (await json<ProfileView>(['rules', 'list', '--key', 'codex', '--profile', 'fast'])).rules.map((rule) => rule.from);
      await expectRun(['rules', 'add', MODELS.sdkChat, MODELS.chatUpstream, '--key', 'codex', '--profile', 'fast', '--at', '1'], 0);
      await expectRun(['rules', 'add', 'o[0-9]+', MODELS.chatUpstream, '--key', 'codex', '--profile', 'fast'], 0);
      expect(await rules()).toEqual([MODELS.sdkChat, MODELS.codex, 'o[0-9]+']);
      const moved = await expectRun(['rules', 'move', '1', '--down', '--key', 'codex', '--profile', 'fast'], 0);
      expect(moved.stdout).toMatch(/^\s*1\s+gpt-5\s+deepseek-chat$/m);
      expect(await rules()).toEqual([MODELS.codex, MODELS.sdkChat, 'o[0-9]+']);
      await expectRun(['rules', 'move', 'o[0-9]+', '--to', '1', '--key', 'codex', '--profile', 'fast'], 0);
      expect(await rules()).toEqual(['o[0-9]+', MODELS.codex, MODELS.sdkChat]);
      await expectRun(['rules', 'remove', MODELS.sdkChat, '--key', 'codex', '--profile', 'fast'], 0);
      await expectRun(['rules', 'remove', '1', '--key', 'codex', '--profile', 'fast'], 0);
      expect(await rules()).toEqual([MODELS.codex]);
      expect((await expectRun(['rules', 'remove', '9', '--key', 'codex', '--profile', 'fast'], 4)).stderr).toContain('no rule 9');
      expect((await expectRun(['rules', 'move', '1', '--up', '--key', 'codex', '--profile', 'fast'], 5)).stderr).toContain(
        'already the first',
      );
      expect((await expectRun(['rules', 'move', '1', '--key', 'codex', '--profile', 'fast'], 2)).stderr).toContain(
        '--to N, --up or --down',
      );
      await expectRun(['rules', 'add', 'x(', 'y', '--key', 'codex', '--profile', 'fast'], 5);
      expect(await rules()).toEqual([MODELS.codex]);
    });

    it('does not delete the active profile (exit 5), deletes another one', async () => {
      await expectRun(['profiles', 'delete', 'deep', '--key', 'codex'], 5);
      await expectRun(['profiles', 'use', 'fast', '--key', 'codex'], 0);
      await expectRun(['profiles', 'delete', 'deep', '--key', 'codex'], 0);
      expect((await json<{ items: ProfileView[] }>(['profiles', 'list', '--key', 'codex'])).items.map((profile) => profile.name)).toEqual([
        'fast',
      ]);
      await expectRun(['profiles', 'show', 'deep', '--key', 'codex'], 4);
    });

    it('revokes a key: its next request is a 401', async () => {
      const revoked = await json<ApiKeyView>(['keys', 'revoke', 'codex']);
      expect(revoked.state).toBe('revoked');
      expect(await chatWithKey(gateway.baseUrl, created.key, MODELS.codex)).toBe(401);
    });
  });

  describe('admin tokens and roles', () => {
    it('creates a viewer token that reads but may not write (exit 3); AXONHUB_ADMIN_TOKEN overrides the saved login', async () => {
      const viewer = await json<AdminTokenView & { token: string }>(['tokens', 'create', 'ci-viewer', '--role', 'viewer']);
      expect(viewer.token).toMatch(/^ahadm-/);
      const table = (await expectRun(['tokens', 'list'], 0)).stdout;
      expect(table).toMatch(/^ci-viewer\s+\S+\s+viewer\s+\(all\)\s+ahadm-\S+\s+active\s/m);
      expect(table).not.toContain(viewer.token);
      const asViewer = { env: { AXONHUB_ADMIN_TOKEN: viewer.token } };
      expect((await expectRun(['keys', 'list'], 0, asViewer)).stdout).toMatch(/^NAME/);
      const refused = await expectRun(['keys', 'create', 'nope'], 3, asViewer);
      expect(refused.stderr).toContain('forbidden');
      const envelope = await expectRun(['keys', 'create', 'nope', '--json'], 3, asViewer);
      expect(JSON.parse(envelope.stderr)).toMatchObject({ error: { code: 'forbidden' } });
      expect(envelope.stdout).toBe('');
      expect((await expectRun(['tokens', 'create', 'x', '--role', 'chief'], 2)).stderr).toContain('--role is one of');
    });
  });

  describe('usage errors and logout', () => {
    it('exits 2 on unknown commands and options, 0 on --help', async () => {
      expect((await expectRun(['keys', 'launch'], 2)).stderr).toContain('keys takes: list, create, show, revoke');
      expect((await expectRun(['keys', 'list', '--rule', 'a=b'], 2)).stderr).toContain('does not take --rule');
      const help = await expectRun(['--help'], 0);
      expect(help.stdout).toContain('Exit codes:');
      expect(help.stdout).toContain('6  gateway unreachable');
    });

    it('logout forgets the saved token; the next command is exit 3', async () => {
      expect((await expectRun(['logout'], 0)).stdout).toContain('Forgot the token');
      expect(existsSync(sessionFile())).toBe(false);
      await expectRun(['projects', 'list'], 3);
    });
  });
});
