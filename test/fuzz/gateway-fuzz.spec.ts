/**
 * The fast part of the fuzz suite (`npm test`): a few thousand seeded hostile requests against the BUILT
 * gateway in both modes, the fake upstream behind it. The long part is `npm run fuzz` (run-fuzz.ts).
 * FUZZ_SEED reproduces another run.
 */
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { startDistributedGateway, startEmbeddedGateway, type GatewayUnderTest } from '../e2e/support/gateway-under-test';
import {
  formatReport,
  isAlive,
  requestErrorLogLines,
  rowWriteFailureLines,
  runFuzz,
  verifyRows,
  type FuzzReport,
  type RowCheck,
} from './fuzz-run';

jest.setTimeout(120_000);

const SEED = Number(process.env.FUZZ_SEED ?? 16_0607);
/** Short, so stalled bodies are answered (408) within the test; the answer timeout is far above it. */
const BODY_TIMEOUT_MS = 1_000;

const modes: [string, (upstream: FakeUpstream) => Promise<GatewayUnderTest>][] = [
  ['embedded', startEmbeddedGateway],
  ['distributed', startDistributedGateway],
];

describe.each(modes)('fuzz: %s gateway', (mode, start) => {
  let upstream: FakeUpstream | undefined;
  let gateway: GatewayUnderTest | undefined;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    // The gateway processes inherit the environment: every key can be set this way.
    process.env.AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS = String(BODY_TIMEOUT_MS);
    try {
      gateway = await start(upstream);
    } finally {
      delete process.env.AXONHUB_SERVER_REQUEST_BODY_TIMEOUT_MS;
    }
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  }, 30_000);

  const running = (): { gateway: GatewayUnderTest; upstream: FakeUpstream } => {
    if (!gateway || !upstream) throw new Error(`fuzz: the ${mode} gateway did not start (see the beforeAll failure)`);
    return { gateway, upstream };
  };

  /** Every count that must be zero, with the report attached when one is not (jest prints the difference). */
  const expectClean = (report: FuzzReport, rows: RowCheck | undefined, alive: boolean, errorLines: string[]): void => {
    const counts = {
      alive,
      serverErrors: report.serverErrors.length,
      nonEnvelopeErrors: report.nonEnvelopeErrors.length,
      unexpectedStatuses: report.unexpectedStatuses.length,
      noAnswer: report.noAnswer.length,
      missingRows: rows?.missing.length ?? 0,
      rowsWithAnotherStatus: rows?.wrongStatus.length ?? 0,
      requestErrorLogLines: errorLines.length,
    };
    const clean = {
      alive: true,
      serverErrors: 0,
      nonEnvelopeErrors: 0,
      unexpectedStatuses: 0,
      noAnswer: 0,
      missingRows: 0,
      rowsWithAnotherStatus: 0,
      requestErrorLogLines: 0,
    };
    const text = formatReport(report, rows, {
      mode,
      'request ERROR log lines': errorLines.slice(0, 5).join('\n'),
      'request-log write failures': rowWriteFailureLines(running().gateway).slice(0, 5).join('\n'),
    });
    process.stdout.write(`\nfuzz (${mode}):\n${text}\n`);
    expect({ counts, report: JSON.stringify(counts) === JSON.stringify(clean) ? '' : text }).toEqual({ counts: clean, report: '' });
  };

  it('survives a seeded storm of hostile requests: no crash, no 5xx from bad input, every error in the envelope, a row for every answer', async () => {
    const { gateway, upstream } = running();
    const report = await runFuzz(gateway, upstream, {
      seed: SEED,
      counts: { chat: 700, responses: 700, models: 50, other: 50 },
      concurrency: 8,
      // Mixed in with the rest: one such row used to fail its whole batch, losing its neighbours' rows.
      unstorableRows: true,
      answerTimeoutMs: 15_000,
    });
    const rows = await verifyRows(gateway, report.answered, 20_000);
    // A test that can fail: the storm must have reached the upstream and produced both successes and refusals.
    expect(report.statuses['200']).toBeGreaterThan(100);
    expect(report.statuses['400']).toBeGreaterThan(100);
    expectClean(report, rows, await isAlive(gateway), requestErrorLogLines(gateway));
  });

  describe('requests with NUL or a lone surrogate where the row stores it (model, prompt_cache_key)', () => {
    let report: FuzzReport | undefined;

    it('are answered like any other', async () => {
      const { gateway, upstream } = running();
      report = await runFuzz(gateway, upstream, {
        seed: SEED + 1,
        counts: { chat: 40, responses: 40 },
        concurrency: 4,
        unstorableRows: 'only',
        answerTimeoutMs: 15_000,
      });
      expectClean(report, undefined, await isAlive(gateway), requestErrorLogLines(gateway));
    });

    // PostgreSQL refuses NUL and lone surrogates in text/json: the rows are made storable when they are
    // serialized (ADR 0005), so none of them, and none of their batch's neighbours, is lost.
    it('have their rows stored, text mended (U+FFFD for a lone surrogate, NUL dropped)', async () => {
      const { gateway } = running();
      if (!report) throw new Error('fuzz: the previous test did not run');
      const rows = await verifyRows(gateway, report.answered, 5_000);
      process.stdout.write(`\nfuzz (${mode}), rows with NUL / lone surrogates:\n${formatReport(report, rows)}\n`);
      expect(report.answered.length).toBeGreaterThan(0);
      expect(rows.missing).toEqual([]);
      expect(rows.wrongStatus).toEqual([]);
    });
  });
});
