/**
 * Issue 12's "done when", as a newcomer does it: the gateway starts with no config at all (no channel, no
 * key, no admin token), prints its first owner token, and everything else is done with the `axonhub` CLI
 * while the real Codex CLI talks to the gateway: add a channel and test it, create a key with two
 * profiles, run Codex, switch the active profile while Codex's session goes on (no restart, no config
 * edit), and list the conversation's requests in order.
 */
import { join } from 'node:path';
import type { ApiKeyView } from '@gw/contracts';
import { describeRun, runCodex, type CodexRun } from '../support/codex-runner';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import type { ManagedProcess } from '../support/process';
import { textAnswer } from '../support/upstream-rules';
import { printedOwnerTokens } from './support/admin-client';
import { cliRunner, type CliRun, type CliRunOptions } from './support/cli-runner';
import { startFreshGateway, type FreshGateway } from './support/fresh-gateway';

jest.setTimeout(240_000);

interface LogItem {
  request_id: string;
  conversation_key: string | null;
  requested_model: string | null;
  mapped_model: string | null;
  channel: string | null;
  status: number;
}

describe('a newcomer: npm start, then the CLI alone, with Codex running', () => {
  let upstream: FakeUpstream;
  let fresh: FreshGateway;
  let gateway: ManagedProcess;
  let origin: string;
  let run: (args: string[], options?: CliRunOptions) => Promise<CliRun>;

  const expectRun = async (args: string[], options?: CliRunOptions): Promise<CliRun> => {
    const result = await run(args, options);
    if (result.code !== 0) throw new Error(`axonhub ${args.join(' ')}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result;
  };
  const json = async <T>(args: string[], options?: CliRunOptions): Promise<T> =>
    JSON.parse((await expectRun([...args, '--json'], options)).stdout) as T;
  const assertSucceeded = (codex: CodexRun): void => {
    if (codex.exitCode !== 0 || codex.timedOut) throw new Error(`Codex failed:\n${describeRun(codex)}\n${gateway.output().slice(-5_000)}`);
  };

  beforeAll(async () => {
    upstream = await startFakeUpstream({ models: ['deepseek-chat', 'deepseek-reasoner'] });
    // What a fresh machine has: a port and a data directory, nothing to bootstrap.
    fresh = await startFreshGateway('newcomer');
    gateway = fresh.process;
    origin = fresh.origin;
    run = cliRunner(join(fresh.directory, 'cli-home'));
  });

  afterAll(async () => {
    await fresh?.stop();
    await upstream?.close();
  });

  it('adds a channel, creates a key with two profiles, switches while Codex runs, and lists the conversation', async () => {
    // 1. The first start printed the owner token and the CLI login to run next.
    const printedToken = printedOwnerTokens(gateway.output())[0];
    expect(printedToken).toMatch(/^ahadm-/);
    const loginLine = /^ {2}npx axonhub (login --url \S+)$/m.exec(gateway.output())?.[1];
    expect(loginLine).toBe(`login --url ${origin}`);
    await expectRun(loginLine!.split(' '), { env: { AXONHUB_ADMIN_TOKEN: printedToken } });

    // 2. A channel, its credential from stdin, tested with one real call.
    const channelKey = `sk-newcomer-${Date.now()}-channel-credential`;
    upstream.script(textAnswer('pong'));
    await expectRun(
      [
        'channels',
        'add',
        'deepseek',
        '--type',
        'openai',
        '--base-url',
        upstream.url,
        '--models',
        'deepseek-chat,deepseek-reasoner',
        '--api-key-stdin',
      ],
      { stdin: channelKey },
    );
    const test = await json<{ ok: boolean; latency_ms: number }>(['channels', 'test', 'deepseek']);
    expect(test.ok).toBe(true);
    expect(upstream.requests.at(-1)?.headers['authorization']).toBe(`Bearer ${channelKey}`);

    // 3. A key with two profiles, the first one active.
    const created = await json<ApiKeyView & { key: string }>(['keys', 'create', 'codex']);
    const apiKey = created.key;
    expect(apiKey).toMatch(/^ah-/);
    await expectRun(['profiles', 'create', 'fast', '--key', 'codex', '--rule', 'gpt-5=deepseek-chat']);
    await expectRun(['profiles', 'create', 'deep', '--key', 'codex', '--rule', 'gpt-5=deepseek-reasoner']);
    await expectRun(['profiles', 'use', 'fast', '--key', 'codex']);

    // 4. Codex, pointed at the gateway with that key.
    upstream.reset();
    upstream.script(textAnswer('First answer through fast.'));
    const first = await runCodex({ baseUrl: `${origin}/v1`, apiKey, prompt: 'First turn.' });
    assertSucceeded(first);
    expect(first.lastMessage).toBe('First answer through fast.');
    expect((upstream.requests[0]?.body as { model: string }).model).toBe('deepseek-chat');

    // 5. The active profile switched; Codex's session goes on and its next turn is mapped by the new one.
    await expectRun(['profiles', 'use', 'deep', '--key', 'codex']);
    upstream.script(textAnswer('Second answer through deep.'));
    const second = await runCodex({
      baseUrl: `${origin}/v1`,
      apiKey,
      prompt: 'Second turn.',
      codexHome: first.codexHome,
      workdir: first.workdir,
      resumeThreadId: first.threadId,
    });
    assertSucceeded(second);
    expect(second.lastMessage).toBe('Second answer through deep.');
    expect((upstream.requests[1]?.body as { model: string }).model).toBe('deepseek-reasoner');

    // 6. The conversation's requests, oldest first (rows are written when each request ends: poll briefly).
    let items: LogItem[] = [];
    for (let attempt = 0; attempt < 50 && items.length < 2; attempt++) {
      items = (await json<{ items: LogItem[] }>(['conversation', first.threadId!])).items;
      if (items.length < 2) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(
      items.map((item) => ({ requested: item.requested_model, mapped: item.mapped_model, channel: item.channel, status: item.status })),
    ).toEqual([
      { requested: 'gpt-5', mapped: 'deepseek-chat', channel: 'deepseek', status: 200 },
      { requested: 'gpt-5', mapped: 'deepseek-reasoner', channel: 'deepseek', status: 200 },
    ]);
    // The channel credential is in no answer the CLI printed.
    const listed = await expectRun(['channels', 'list', '--json']);
    expect(listed.stdout).not.toContain(channelKey);
  });
});
