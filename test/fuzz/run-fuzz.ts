/**
 * `npm run fuzz -- --seed N --count N [--mode embedded|distributed] [--concurrency N]`: the long part of
 * the fuzz suite. Starts the built gateway (as the e2e tests do) with the fake upstream, sends `count`
 * seeded hostile requests to EACH inference endpoint (plus a few to /v1/models and unknown routes), then
 * waits for the request-log rows and prints the figures. Exits 1 when anything must be looked at.
 * Distributed mode uses the machine's NATS: run it under `flock /tmp/gw-distributed.lock` on a shared machine.
 * Inputs holding NUL or a lone surrogate where the row stores them are mixed in (`--storable-only` leaves
 * them out): their rows must be stored, mended, without costing their batch's neighbours (ADR 0005).
 */
import { resolve } from 'node:path';
import { startDistributedGateway, startEmbeddedGateway, REPO_ROOT } from '../e2e/support/gateway-under-test';
import { startFakeUpstream } from '../support/fake-upstream';
import { formatReport, isAlive, requestErrorLogLines, rowWriteFailureLines, runFuzz, verifyRows } from './fuzz-run';

interface Arguments {
  seed: number;
  count: number;
  mode: 'embedded' | 'distributed';
  concurrency: number;
  unstorable: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const value = (name: string): string | undefined => {
    const index = argv.indexOf(`--${name}`);
    return index === -1 ? argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] : argv[index + 1];
  };
  const args: Arguments = {
    seed: Number(value('seed') ?? Date.now() % 1_000_000),
    count: Number(value('count') ?? 100_000),
    mode: value('mode') === 'distributed' ? 'distributed' : 'embedded',
    concurrency: Number(value('concurrency') ?? 16),
    unstorable: !argv.includes('--storable-only'),
  };
  for (const name of ['seed', 'count', 'concurrency'] as const) {
    if (!Number.isInteger(args[name]) || args[name] < 0) throw new Error(`--${name} must be a whole number, got ${String(args[name])}`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  // This file runs from dist/fuzz/: the recordings stay in the source tree.
  process.env.GATEWAY_FIXTURES_DIR ??= resolve(REPO_ROOT, 'test/fixtures');
  // Short, so stalled bodies are answered (408) quickly; the gateway processes inherit it.
  process.env.AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS ??= '1000';
  const upstream = await startFakeUpstream();
  const gateway = await (args.mode === 'distributed' ? startDistributedGateway(upstream) : startEmbeddedGateway(upstream));
  const started = Date.now();
  try {
    process.stdout.write(
      `fuzz: ${args.mode} gateway at ${gateway.origin}, seed ${args.seed}, ${args.count} requests per endpoint, concurrency ${args.concurrency}\n`,
    );
    const report = await runFuzz(gateway, upstream, {
      seed: args.seed,
      counts: { chat: args.count, responses: args.count, models: Math.ceil(args.count / 50), other: Math.ceil(args.count / 50) },
      concurrency: args.concurrency,
      unstorableRows: args.unstorable,
      answerTimeoutMs: 30_000,
      onProgress: (done, total) =>
        process.stdout.write(`  ${done}/${total} (${Math.round((done * 1000) / (Date.now() - started))} requests/s)\n`),
    });
    const seconds = (Date.now() - started) / 1000;
    const alive = await isAlive(gateway);
    const rows = await verifyRows(gateway, report.answered, 60_000);
    const errorLines = requestErrorLogLines(gateway);
    process.stdout.write(
      `${formatReport(report, rows, {
        mode: args.mode,
        duration: `${seconds.toFixed(0)} s`,
        'gateway alive afterwards': alive,
        crashes: alive ? 0 : 1,
        'request-log write failures': rowWriteFailureLines(gateway).slice(0, 10).join('\n') || 'none',
        'request ERROR log lines': `${errorLines.length}${errorLines.length ? `\n${errorLines.slice(0, 5).join('\n')}` : ''}`,
      })}\n`,
    );
    const clean =
      alive &&
      report.serverErrors.length === 0 &&
      report.nonEnvelopeErrors.length === 0 &&
      report.unexpectedStatuses.length === 0 &&
      report.noAnswer.length === 0 &&
      rows.missing.length === 0 &&
      rows.wrongStatus.length === 0 &&
      errorLines.length === 0;
    process.stdout.write(clean ? 'fuzz: clean\n' : 'fuzz: FINDINGS above\n');
    return clean ? 0 : 1;
  } finally {
    await gateway.stop();
    await upstream.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
