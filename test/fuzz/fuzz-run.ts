import type { GatewayUnderTest, RequestLogRow } from '../e2e/support/gateway-under-test';
import type { FakeUpstream, UpstreamHandler } from '../support/fake-upstream';
import { openAiError } from '../support/fake-upstream';
import { Prng } from './prng';
import { exchange, type ExchangeOutcome, type RawAnswer } from './raw-http';
import { RequestCaseGenerator, UPSTREAM_FAIL_MARKER, type CaseContext, type FuzzCase, type FuzzEndpoint } from './request-cases';

/**
 * Drives a seeded stream of hostile requests at a running gateway and checks every answer: no 5xx unless
 * the upstream was told to fail, every error in OpenAI's envelope as JSON, the statuses a case must get,
 * and (afterwards, `verifyRows`) one request-log row per answered request id with the status the client saw.
 */

export interface FuzzOptions {
  seed: number;
  /** Requests per endpoint. */
  counts: Partial<Record<FuzzEndpoint, number>>;
  concurrency: number;
  /** Cases whose row would hold NUL or a lone surrogate: excluded, mixed in, or alone. */
  unstorableRows: boolean | 'only';
  /** Longest wait for one answer (the gateway's body timeout must be well below it). */
  answerTimeoutMs: number;
  onProgress?: (done: number, total: number) => void;
}

/** A case as reports show it: enough to find it again (seed + index) and to see what was sent. */
export interface CaseSummary {
  index: number;
  endpoint: FuzzEndpoint;
  label: string;
  excerpt: string;
}

export interface Finding {
  problem: string;
  case: CaseSummary;
  status?: number;
  answer?: string;
}

export interface AnsweredRequest {
  requestId: string;
  status: number;
  unstorableRow: boolean;
  case: CaseSummary;
}

export interface FuzzReport {
  seed: number;
  sent: Record<FuzzEndpoint, number>;
  /** Status (or `hung-up`, `closed`, `timeout`) → count. */
  statuses: Record<string, number>;
  /** Case family (first word of the label) → status → count. */
  families: Record<string, Record<string, number>>;
  serverErrors: Finding[];
  nonEnvelopeErrors: Finding[];
  unexpectedStatuses: Finding[];
  noAnswer: Finding[];
  /** Answers of the inference lane that carry AH-Request-Id: each needs its row. */
  answered: AnsweredRequest[];
  /** Answers from Fastify (models, 404s) carry AH-Request-Id too, but no row is written for them by design. */
  idsWithoutRowByDesign: number;
  upstreamFailuresAsked: number;
}

export function upstreamFailureRule(): UpstreamHandler {
  return (request) => (request.rawBody.includes(UPSTREAM_FAIL_MARKER) ? openAiError(500) : undefined);
}

export async function runFuzz(gateway: GatewayUnderTest, upstream: FakeUpstream, options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Prng(options.seed);
  const context: CaseContext = {
    apiKey: gateway.apiKey,
    chatModel: 'sdk-chat',
    responsesModel: 'sdk-responses',
    bodyLimitBytes: 256 * 1024,
  };
  const generator = new RequestCaseGenerator(rng, context, options.unstorableRows);
  const schedule = shuffledSchedule(rng, options.counts);
  const port = Number(new URL(gateway.origin).port);
  const report: FuzzReport = {
    seed: options.seed,
    sent: { chat: 0, responses: 0, models: 0, other: 0 },
    statuses: {},
    families: {},
    serverErrors: [],
    nonEnvelopeErrors: [],
    unexpectedStatuses: [],
    noAnswer: [],
    answered: [],
    idsWithoutRowByDesign: 0,
    upstreamFailuresAsked: 0,
  };
  upstream.script(upstreamFailureRule());
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < schedule.length) {
      const fuzzCase = generator.next(schedule[next++] as FuzzEndpoint);
      const outcome = await exchange(port, fuzzCase.exchange, options.answerTimeoutMs);
      judge(report, fuzzCase, outcome);
      done++;
      // The fake upstream records every request; keep it from growing for the length of a long run.
      if (done % 1_000 === 0) upstream.requests.splice(0);
      if (done % 5_000 === 0) options.onProgress?.(done, schedule.length);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return report;
}

function shuffledSchedule(rng: Prng, counts: Partial<Record<FuzzEndpoint, number>>): FuzzEndpoint[] {
  const schedule: FuzzEndpoint[] = [];
  for (const [endpoint, count] of Object.entries(counts) as [FuzzEndpoint, number][]) {
    for (let index = 0; index < count; index++) schedule.push(endpoint);
  }
  for (let index = schedule.length - 1; index > 0; index--) {
    const other = rng.int(index + 1);
    [schedule[index], schedule[other]] = [schedule[other] as FuzzEndpoint, schedule[index] as FuzzEndpoint];
  }
  return schedule;
}

function judge(report: FuzzReport, fuzzCase: FuzzCase, outcome: ExchangeOutcome): void {
  report.sent[fuzzCase.endpoint]++;
  if (fuzzCase.upstreamFails) report.upstreamFailuresAsked++;
  const summary: CaseSummary = { index: fuzzCase.index, endpoint: fuzzCase.endpoint, label: fuzzCase.label, excerpt: fuzzCase.excerpt };
  const key = outcome.kind === 'answer' ? String(outcome.answer.status) : outcome.kind;
  report.statuses[key] = (report.statuses[key] ?? 0) + 1;
  const family = fuzzCase.label.split(' ')[0] ?? fuzzCase.label;
  const familyStatuses = (report.families[family] ??= {});
  familyStatuses[key] = (familyStatuses[key] ?? 0) + 1;

  if (outcome.kind === 'hung-up' || (outcome.kind === 'closed' && fuzzCase.closesWithoutAnswer)) return;
  if (outcome.kind !== 'answer') {
    report.noAnswer.push({ problem: `no answer (${outcome.kind})`, case: summary, answer: printable(outcome.received) });
    return;
  }
  const { answer } = outcome;
  const text = printable(answer.body);
  if (answer.status >= 500 && !fuzzCase.upstreamFails) {
    report.serverErrors.push({ problem: `${answer.status} from bad input`, case: summary, status: answer.status, answer: text });
  }
  if (answer.status >= 400 && !isOpenAiEnvelope(answer, fuzzCase)) {
    report.nonEnvelopeErrors.push({ problem: 'error not in OpenAI envelope as JSON', case: summary, status: answer.status, answer: text });
  }
  if (fuzzCase.expect && !fuzzCase.expect.includes(answer.status)) {
    report.unexpectedStatuses.push({
      problem: `expected ${fuzzCase.expect.join('/')}`,
      case: summary,
      status: answer.status,
      answer: text,
    });
  }
  const requestId = answer.headers['ah-request-id'];
  if (requestId === undefined) return;
  if (fuzzCase.logged) report.answered.push({ requestId, status: answer.status, unstorableRow: fuzzCase.unstorableRow, case: summary });
  else report.idsWithoutRowByDesign++;
}

/** `{"error":{"message","type","code","param"}}` with a JSON content type (a HEAD answer has no body to check). */
function isOpenAiEnvelope(answer: RawAnswer, fuzzCase: FuzzCase): boolean {
  if (!/^application\/json\b/i.test(answer.headers['content-type'] ?? '')) return false;
  if (fuzzCase.exchange.parts[0]?.subarray(0, 5).toString('latin1') === 'HEAD ') return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return false;
  }
  const error = (parsed as { error?: Record<string, unknown> } | null)?.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.message === 'string' &&
    typeof error.type === 'string' &&
    (typeof error.code === 'string' || error.code === null) &&
    'param' in error
  );
}

function printable(bytes: Buffer): string {
  return JSON.stringify(bytes.subarray(0, 300).toString('latin1'));
}

export interface RowCheck {
  answered: number;
  found: number;
  missing: AnsweredRequest[];
  wrongStatus: { request: AnsweredRequest; rowStatus: number }[];
  /** Rows no answered id asked for: requests whose client hung up (499) or got no id. */
  rowsWithoutAnswer: number;
}

/** Waits (up to `timeoutMs`) until every answered id has its row, then compares statuses. */
export async function verifyRows(gateway: GatewayUnderTest, answered: AnsweredRequest[], timeoutMs: number): Promise<RowCheck> {
  const deadline = Date.now() + timeoutMs;
  let rows: RequestLogRow[] = [];
  let byId = new Map<string, RequestLogRow>();
  for (;;) {
    rows = await gateway.requestLogs({});
    byId = new Map(rows.map((row) => [row.request_id, row]));
    if (answered.every((request) => byId.has(request.requestId)) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const answeredIds = new Set(answered.map((request) => request.requestId));
  const check: RowCheck = { answered: answered.length, found: 0, missing: [], wrongStatus: [], rowsWithoutAnswer: 0 };
  for (const request of answered) {
    const row = byId.get(request.requestId);
    if (!row) check.missing.push(request);
    else if (row.status !== request.status) check.wrongStatus.push({ request, rowStatus: row.status });
    else check.found++;
  }
  check.rowsWithoutAnswer = rows.filter((row) => !answeredIds.has(row.request_id)).length;
  return check;
}

/** Health after the storm: the process still answers (a crash would have ended it). */
export async function isAlive(gateway: GatewayUnderTest): Promise<boolean> {
  const outcome = await exchange(
    Number(new URL(gateway.origin).port),
    { parts: [Buffer.from('GET /healthz HTTP/1.1\r\nhost: gateway\r\nconnection: close\r\n\r\n')], then: 'answer' },
    5_000,
  );
  return outcome.kind === 'answer' && outcome.answer.status === 200;
}

/** Why rows were lost: the trace service logs each batch it could not write (with PostgreSQL's reason). */
export function rowWriteFailureLines(gateway: GatewayUnderTest): string[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => /request-log (batch|rows?)\b.*not written|not written, will be redelivered/i.test(line));
}

/** ERROR lines the gateway logged about requests (the proxy, the HTTP layer, Nest's fallback handler). */
export function requestErrorLogLines(gateway: GatewayUnderTest): string[] {
  return gateway
    .output()
    .split('\n')
    .filter((line) => /\bERROR\b/.test(line) && /\[(ProxyService|HttpError|ExceptionsHandler)\]/.test(line));
}

export function formatReport(report: FuzzReport, rows: RowCheck | undefined, extra: Record<string, unknown> = {}): string {
  const list = (findings: Finding[]): string =>
    findings
      .slice(0, 15)
      .map(
        (finding) =>
          `    #${finding.case.index} ${finding.case.label} -> ${finding.status ?? '-'} ${finding.problem}; sent ${finding.case.excerpt}; got ${finding.answer ?? ''}`,
      )
      .join('\n');
  const lines = [
    `seed ${report.seed}`,
    `requests sent per endpoint: ${JSON.stringify(report.sent)}`,
    `status histogram: ${JSON.stringify(sortedEntries(report.statuses))}`,
    `per family: ${Object.entries(report.families)
      .map(([family, statuses]) => `${family} ${JSON.stringify(sortedEntries(statuses))}`)
      .join('; ')}`,
    ...Object.entries(extra).map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`),
    `upstream failures asked for: ${report.upstreamFailuresAsked}`,
    `5xx from bad input: ${report.serverErrors.length}`,
    list(report.serverErrors),
    `errors not in the envelope: ${report.nonEnvelopeErrors.length}`,
    list(report.nonEnvelopeErrors),
    `unexpected statuses: ${report.unexpectedStatuses.length}`,
    list(report.unexpectedStatuses),
    `no answer: ${report.noAnswer.length}`,
    list(report.noAnswer),
    `ids without a row by design (Fastify: models, 404s): ${report.idsWithoutRowByDesign}`,
  ];
  if (rows) {
    lines.push(
      `ids answered: ${rows.answered}, rows found with the same status: ${rows.found}, missing: ${rows.missing.length}, wrong status: ${rows.wrongStatus.length}, rows in the database no answer of this run asked for (hung-up clients, earlier runs): ${rows.rowsWithoutAnswer}`,
    );
    for (const request of rows.missing.slice(0, 30)) {
      lines.push(
        `    missing row ${request.requestId} (status ${request.status}${request.unstorableRow ? ', NUL/lone surrogate in the input' : ''}) #${request.case.index} ${request.case.label}: ${request.case.excerpt}`,
      );
    }
    for (const { request, rowStatus } of rows.wrongStatus.slice(0, 30)) {
      lines.push(
        `    row ${request.requestId} says ${rowStatus}, client got ${request.status}: #${request.case.index} ${request.case.label}`,
      );
    }
  }
  return lines.filter((line) => line !== '').join('\n');
}

function sortedEntries(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
