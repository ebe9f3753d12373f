/**
 * Issue 15's "done when", in Debian's Chromium against the built gateway: a newcomer does the guide's loop in
 * the browser console (`/console`) — logs in with the printed owner token, adds a channel and tests it,
 * creates a key and copies its Codex config, adds two profiles, switches the active one and sees the next
 * request (openai SDK) mapped by it, runs the real Codex CLI with a tool call and reads that conversation's
 * turns, filters the request log, opens the usage charts — and a viewer (a user logging in with name and
 * password) sees no edit control and is refused by the API anyway. Each page's screenshot goes to
 * docs/console/ (the README shows them).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { conversationTraceId } from '@gw/telemetry';
import { expectCodexRanEcho } from '../support/codex-assertions';
import { cleanupCodexDirectories, describeRun, runCodex, type CodexRun } from '../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import type { ManagedProcess } from '../support/process';
import { codexExecCommand } from '../support/templated-replay';
import { textAnswer, toolRoundTrip } from '../support/upstream-rules';
import { adminClient, printedOwnerTokens, type AdminCall } from './support/admin-client';
import { launchChromium } from './support/browser';
import { uniqueMarker } from './support/e2e-context';
import { startFreshGateway, type FreshGateway } from './support/fresh-gateway';
import { REPO_ROOT } from './support/gateway-under-test';

jest.setTimeout(240_000);

const SCREENSHOTS = join(REPO_ROOT, 'docs', 'console');
/** No collector runs here: the link is only checked, never followed. */
const TRACE_VIEW_URL = 'http://jaeger.invalid:16686/trace/{trace_id}';
const VIEWER = { name: 'vera-viewer', password: 'viewer-password-1234' };

describe('the web console, in Chromium, against the built gateway', () => {
  let upstream: FakeUpstream;
  let fresh: FreshGateway;
  let gateway: ManagedProcess;
  let origin: string;
  let ownerToken: string;
  let owner: AdminCall;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  // What the steps hand on to each other.
  const channelKey = `sk-console-${Date.now()}-channel-credential`;
  let apiKey = '';
  let keyId = '';
  let codexRun: CodexRun | undefined;
  const marker = uniqueMarker('console-codex');

  /** The visible part of the page (a long page's full height would make the README's pictures unreadable). */
  const shoot = async (name: string, target: Page = page): Promise<void> => {
    await target.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  };
  const upstreamModels = (): string[] => upstream.requests.map((request) => (request.body as { model: string }).model);
  const openConsole = async (path: string): Promise<void> => {
    await page.goto(`${origin}/console${path}`);
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream({ models: ['deepseek-chat', 'deepseek-reasoner'] });
    // A fresh start with prompt capture on, so the conversation page shows the turns.
    fresh = await startFreshGateway('console', {
      server: { trace: { capture: { enabled: true } } },
      otel: { trace_view_url: TRACE_VIEW_URL },
    });
    gateway = fresh.process;
    origin = fresh.origin;
    ownerToken = printedOwnerTokens(gateway.output())[0]!;
    owner = adminClient(origin, ownerToken);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await fresh?.stop();
    await upstream?.close();
    await cleanupCodexDirectories();
  });

  afterEach(() => {
    // A script error in the page fails the step that caused it, not a later one.
    expect(pageErrors).toEqual([]);
  });

  it('serves the built console at /console: its files with types and cache rules, client routes as the app, no traversal', async () => {
    const index = await fetch(`${origin}/console/`);
    const html = await index.text();
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${origin}${script}`);
    await asset.arrayBuffer();
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A client route is the app itself; a missing asset is a 404, not HTML posing as a script.
    expect(await (await fetch(`${origin}/console/keys/some-id/profiles`)).text()).toBe(html);
    expect((await fetch(`${origin}/console/assets/missing-0000.js`)).status).toBe(404);
    for (const path of [
      '/console/..%2f..%2fpackage.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const response = await fetch(`${origin}${path}`);
      expect({ path, text: await response.text() }).toEqual({ path, text: expect.not.stringContaining('"devDependencies"') as unknown });
    }
  });

  it('logs in with the owner token the first start printed', async () => {
    // The first start says where the console is.
    expect(gateway.output()).toContain(`Or in the browser: ${origin}/console (log in with that token).`);
    await openConsole('/');
    await page.getByRole('heading', { name: 'AxonHub console' }).waitFor();
    await shoot('login');
    await page.getByRole('textbox', { name: 'Admin token' }).fill('ahadm-not-a-real-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /unknown or revoked/i })
      .waitFor();
    await page.getByRole('textbox', { name: 'Admin token' }).fill(ownerToken);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Channels' }).waitFor();
    expect(await page.getByTestId('who').textContent()).toContain('owner');
    // The token stays in this tab's sessionStorage: a reload keeps the session.
    await page.reload();
    await page.getByRole('heading', { name: 'Channels' }).waitFor();
  });

  it('adds a channel with a write-only credential and tests it with a real call', async () => {
    await page.getByRole('button', { name: 'Add channel' }).click();
    const form = page.getByRole('form', { name: 'Add a channel' });
    await form.getByLabel('Name').fill('deepseek');
    await form.getByLabel('Type').selectOption('openai');
    await form.getByLabel('Base URL').fill(upstream.url);
    await form.getByLabel('Models (comma-separated)').fill('deepseek-chat, deepseek-reasoner');
    await form.getByLabel('API key').fill(channelKey);
    await form.getByRole('button', { name: 'Add channel' }).click();
    const row = page.locator('tr[data-channel="deepseek"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(`••••${channelKey.slice(-4)}`);
    expect(await row.getByTestId('last-test').textContent()).toBe('never tested');

    upstream.script(textAnswer('pong'));
    await page.getByRole('button', { name: 'Test deepseek' }).click();
    await row.getByTestId('last-test').filter({ hasText: /^ok/ }).waitFor();
    expect(await row.getByTestId('last-test').textContent()).toMatch(/^ok \d+ ms · HTTP 200$/);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${channelKey}`);
    // The credential is in no page the console showed.
    expect(await page.content()).not.toContain(channelKey);
    await shoot('channels');
  });

  it('creates a key, shows its secret once, and copies the key and the Codex config', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('form', { name: 'Create an API key' });
    await form.getByLabel('Name').fill('codex');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('created-secret');
    await secret.waitFor();
    apiKey = await secret.inputValue();
    expect(apiKey).toMatch(/^ah-/);
    keyId = (await owner<{ items: { id: string; name: string }[] }>('GET', '/api-keys')).body.items.find((key) => key.name === 'codex')!.id;

    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Copied').first().waitFor();
    expect(await inPage<string>(page, 'navigator.clipboard.readText()')).toBe(apiKey);
    await page.getByRole('button', { name: 'Copy export line' }).click();
    expect(await inPage<string>(page, 'navigator.clipboard.readText()')).toBe(`export AXONHUB_API_KEY=${apiKey}`);
    await page.getByRole('button', { name: 'Copy config.toml' }).click();
    const toml = await inPage<string>(page, 'navigator.clipboard.readText()');
    expect(toml).toContain(`base_url = "${origin}/v1"`);
    expect(toml).toContain('env_key = "AXONHUB_API_KEY"');
    expect(toml).toContain('wire_api = "responses"');
    expect(toml).not.toContain(apiKey); // the key stays in the environment
    await shoot('keys');

    // Shown once: the list has the prefix only, and a reload has no secret anywhere.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    await page.locator('tr[data-key="codex"]').waitFor();
    expect(await page.content()).not.toContain(apiKey);
  });

  it('adds two profiles with validated rules, switches the active one, and the next SDK request is mapped by it', async () => {
    await page.locator('tr[data-key="codex"]').getByRole('link', { name: 'Profiles' }).click();
    await page.getByRole('heading', { name: 'Model profiles of codex' }).waitFor();

    // "fast": a bad regex is shown at its rule and blocks saving; fixed, it saves.
    await page.getByRole('button', { name: 'New profile' }).click();
    let form = page.getByRole('form', { name: 'New profile' });
    await form.getByLabel('Profile name').fill('fast');
    await form.getByLabel('Rule 1: requested model').fill('gpt-(5');
    await form.getByLabel('Rule 1: mapped to').fill('deepseek-chat');
    await form.getByRole('alert').filter({ hasText: 'not a valid regex' }).waitFor();
    expect(await form.getByRole('button', { name: 'Save profile' }).isDisabled()).toBe(true);
    await form.getByLabel('Rule 1: requested model').fill('gpt-5');
    expect(await form.getByLabel('matches as exact').count()).toBe(1);
    await form.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('article[data-profile="fast"]').waitFor();

    // "deep": two rules, entered in the wrong order and moved with the keyboard-reachable buttons.
    await page.getByRole('button', { name: 'New profile' }).click();
    form = page.getByRole('form', { name: 'New profile' });
    await form.getByLabel('Profile name').fill('deep');
    await form.getByLabel('Rule 1: requested model').fill('gpt-.*');
    await form.getByLabel('Rule 1: mapped to').fill('deepseek-chat');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.getByLabel('Rule 2: requested model').fill('gpt-5');
    await form.getByLabel('Rule 2: mapped to').fill('deepseek-reasoner');
    expect(await form.getByLabel('matches as regex').count()).toBe(1);
    await form.getByRole('button', { name: 'Move rule 2 up' }).click();
    expect(await form.getByLabel('Rule 1: requested model').inputValue()).toBe('gpt-5');
    await form.getByRole('button', { name: 'Save profile' }).click();
    const deep = page.locator('article[data-profile="deep"]');
    await deep.waitFor();
    expect((await deep.locator('.rule-list li').allTextContents()).map((text) => text.trim())).toEqual([
      'gpt-5 → deepseek-reasoner',
      'gpt-.* → deepseek-chat',
    ]);

    // One click makes "fast" active; the tester and a real request agree.
    const sdk = new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0 });
    const ask = async (): Promise<void> => {
      upstream.script(textAnswer('mapped'));
      await sdk.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'which model?' }] });
    };
    await page.getByRole('button', { name: 'Make fast active' }).click();
    await page.locator('article[data-profile="fast"]').getByText('active', { exact: true }).waitFor();
    await page.getByLabel('Requested model').fill('gpt-5');
    await page.getByRole('button', { name: 'Show mapping' }).click();
    await page.getByTestId('dry-run').filter({ hasText: 'deepseek-chat' }).waitFor();
    expect(await page.getByTestId('dry-run').textContent()).toContain('gpt-5 → deepseek-chat via deepseek (openai)');
    upstream.reset();
    await ask();
    expect(upstreamModels()).toEqual(['deepseek-chat']);

    await page.getByRole('button', { name: 'Make deep active' }).click();
    await deep.getByText('active', { exact: true }).waitFor();
    await ask();
    expect(upstreamModels()).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    await page.getByRole('button', { name: 'Show mapping' }).click();
    await page.getByTestId('dry-run').filter({ hasText: 'deepseek-reasoner' }).waitFor();
    await page.getByLabel('Requested model').fill('gpt-4o');
    await page.getByRole('button', { name: 'Show mapping' }).click();
    await page.getByTestId('dry-run').filter({ hasText: 'gpt-4o → deepseek-chat' }).waitFor();
    await shoot('profiles');
  });

  it('opens the conversation a Codex run made and shows its turns: prompt, tool call, tool result, answer', async () => {
    const answer = `The command printed ${marker}.`;
    upstream.reset();
    upstream.script(toolRoundTrip({ toolCall: codexExecCommand(`echo ${marker}`), answerText: answer }));
    codexRun = await runCodex({ baseUrl: `${origin}/v1`, apiKey, prompt: `Run echo ${marker} and tell me what it printed.` });
    assertSucceeded(codexRun);
    expectCodexRanEcho(codexRun, marker, answer);
    const followUp = `Follow-up ${marker}: thanks.`;
    upstream.script(textAnswer(followUp));
    const second = await runCodex({
      baseUrl: `${origin}/v1`,
      apiKey,
      prompt: 'And the second turn?',
      codexHome: codexRun.codexHome,
      workdir: codexRun.workdir,
      resumeThreadId: codexRun.threadId,
    });
    assertSucceeded(second);
    const threadId = codexRun.threadId!;

    await page.getByRole('navigation').getByRole('link', { name: 'Conversations' }).click();
    const row = page.locator(`tr[data-conversation="${threadId}"]`);
    // Rows are written when each request ends: refresh until the conversation has all three.
    for (let attempt = 0; attempt < 50; attempt++) {
      if ((await row.count()) === 1 && (await row.locator('td').nth(1).textContent()) === '3') break;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(200);
    }
    expect(await row.locator('td').nth(1).textContent()).toBe('3');
    await shoot('conversations');
    await row.getByRole('link', { name: threadId }).click();

    const turns = page.getByTestId('turn');
    await turns.nth(2).waitFor();
    expect(await turns.count()).toBe(3);
    const [first, toolResult, last] = [turns.nth(0), turns.nth(1), turns.nth(2)];
    expect(await first.locator('.parts.prompt').textContent()).toContain(`Run echo ${marker}`);
    expect(await first.locator('.tool-call').textContent()).toContain('exec_command');
    expect(await first.locator('.tool-call').textContent()).toContain(`echo ${marker}`);
    expect(await toolResult.locator('.tool-result').textContent()).toContain(marker);
    expect(await toolResult.locator('.parts.answer').textContent()).toContain(answer);
    expect(await last.locator('.parts.prompt').textContent()).toContain('And the second turn?');
    expect(await last.locator('.parts.answer').textContent()).toContain(followUp);
    // Each turn names the model asked for, the one it was mapped to, and the channel.
    expect(await first.locator('header').textContent()).toContain('gpt-5 → deepseek-reasoner on deepseek');
    expect(await first.locator('header').textContent()).toMatch(/TTFT \d/);
    // The conversation's one trace (ADR 0014: derived from its project and key) in the configured viewer.
    const projectId = (await owner<{ items: { id: string; name: string }[] }>('GET', '/projects')).body.items.find(
      (p) => p.name === 'default',
    )!.id;
    expect(await page.getByTestId('trace-link').getAttribute('href')).toBe(
      TRACE_VIEW_URL.replace('{trace_id}', conversationTraceId(projectId, threadId)),
    );
    await shoot('conversation');
  });

  it('filters the request log, opens one request with its bodies, and draws usage', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Request log' }).click();
    await page.locator('tr[data-request]').first().waitFor();
    const filters = page.getByRole('form', { name: 'Filter requests' });
    await filters.getByLabel('Status').fill('abc');
    await filters.getByText('A code (429), a class (2xx, 4xx, 5xx) or "error".').waitFor();
    expect(await filters.getByRole('button', { name: 'Apply filters' }).isDisabled()).toBe(true);
    await filters.getByLabel('Status').fill('2xx');
    await filters.getByLabel('Conversation').fill(codexRun!.threadId!);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/conversation=/);
    await expectRowCount(page, 3);
    expect(page.url()).toContain('status=2xx');
    await shoot('request-log');

    await page.locator('tr[data-request]').first().getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Request body' }).waitFor();
    expect(await page.locator('pre.body').first().textContent()).toContain('And the second turn?');
    expect(await page.locator('.facts').textContent()).toContain('gpt-5 → deepseek-reasoner on deepseek');
    await shoot('request-detail');

    await page.getByRole('navigation').getByRole('link', { name: 'Usage' }).click();
    const totals = page.getByTestId('usage-totals');
    await totals.waitFor();
    // The channel test is not a client request: the two SDK calls and Codex's three.
    expect(await totals.textContent()).toMatch(/^5 requests · \d+ tokens · 0 errors/);
    await page.getByRole('img', { name: /^Requests\. deepseek-reasoner: 4; deepseek-chat: 1$/ }).waitFor();
    await page.getByLabel('By').selectOption('channel');
    await page.getByRole('img', { name: /^Requests\. deepseek: 5$/ }).waitFor();
    await shoot('usage');
  });

  it('fits a narrow window and is usable with the keyboard alone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await openConsole('/channels');
      await page.getByRole('heading', { name: 'Channels' }).waitFor();
      await page.locator('tr[data-channel="deepseek"]').waitFor();
      // The page itself never scrolls sideways; wide tables scroll inside their own box.
      expect(await inPage<number>(page, 'document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await shoot('narrow-channels');
      // Tab from the top: the skip link first, then the navigation; Enter follows a link.
      await page.keyboard.press('Tab');
      expect(await inPage<string>(page, 'document.activeElement?.textContent')).toBe('Skip to content');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await inPage<string>(page, 'document.activeElement?.textContent')).toBe('API keys');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'API keys' }).waitFor();
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('a viewer logs in with name and password, sees no edit control, and the API refuses it anyway', async () => {
    expect((await owner('POST', '/users', { ...VIEWER, role: 'viewer' })).status).toBe(201);
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const viewer = await viewerContext.newPage();
    viewer.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await viewer.goto(`${origin}/console/`);
      await viewer.getByRole('radio', { name: 'User name and password' }).check();
      await viewer.getByLabel('Name', { exact: true }).fill(VIEWER.name);
      await viewer.getByLabel('Password', { exact: true }).fill(VIEWER.password);
      await viewer.getByLabel('Password', { exact: true }).press('Enter');
      await viewer.getByRole('heading', { name: 'Channels' }).waitFor();
      expect(await viewer.getByTestId('who').textContent()).toContain('viewer');
      await viewer.locator('tr[data-channel="deepseek"]').waitFor();
      expect(await viewer.getByRole('button', { name: /Add channel|Test deepseek|Edit deepseek|Disable deepseek/ }).count()).toBe(0);

      await viewer.getByRole('navigation').getByRole('link', { name: 'API keys' }).click();
      await viewer.locator('tr[data-key="codex"]').waitFor();
      expect(await viewer.getByRole('button', { name: /Create key|Revoke/ }).count()).toBe(0);
      await viewer.locator('tr[data-key="codex"]').getByRole('link', { name: 'Profiles' }).click();
      await viewer.locator('article[data-profile="deep"]').waitFor();
      expect(await viewer.getByRole('button', { name: /New profile|Make .* active|Edit rules|Delete|Deactivate/ }).count()).toBe(0);
      // The tester is a read: a viewer may use it.
      await viewer.getByLabel('Requested model').fill('gpt-5');
      await viewer.getByRole('button', { name: 'Show mapping' }).click();
      await viewer.getByTestId('dry-run').filter({ hasText: 'deepseek-reasoner' }).waitFor();
      await shoot('viewer-profiles', viewer);

      // What the console hides, the API refuses: the same session token, straight at the API from the page.
      const refused = await viewer.evaluate(async (id) => {
        const session = JSON.parse(sessionStorage.getItem('axonhub.console.session') ?? '{}') as { token: string };
        const response = await fetch(`/admin/v1/api-keys/${id}/active-profile`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ profile: 'fast' }),
        });
        return response.status;
      }, keyId);
      expect(refused).toBe(403);

      // Logging out revokes the session on the server.
      const token = await viewer.evaluate(
        () => (JSON.parse(sessionStorage.getItem('axonhub.console.session')!) as { token: string }).token,
      );
      await viewer.getByRole('button', { name: 'Log out' }).click();
      await viewer.getByRole('textbox', { name: 'Admin token' }).waitFor();
      expect((await adminClient(origin, token)('GET', '/session')).status).toBe(401);
    } finally {
      await viewerContext.close();
    }
  });

  function assertSucceeded(run: CodexRun): void {
    if (run.exitCode !== 0 || run.timedOut) throw new Error(`Codex failed:\n${describeRun(run)}\n${gateway.output().slice(-5_000)}`);
  }
});

/** An expression evaluated in the page (the test's own TypeScript has no DOM types). */
async function inPage<T>(page: Page, expression: string): Promise<T> {
  return await page.evaluate(expression);
}

/** The rows shown come to `count` (the old rows stay until the filtered answer replaces them). */
async function expectRowCount(page: Page, count: number): Promise<void> {
  const rows = page.locator('tr[data-request]');
  for (let attempt = 0; attempt < 100 && (await rows.count()) !== count; attempt++) await page.waitForTimeout(100);
  expect(await rows.count()).toBe(count);
}
