import { flag, integerOption, stringOption, type OptionValues } from '../command-line';
import { show, type CommandContext, type CommandSpec } from '../command';
import type { AdminApi } from '../http/admin-client';
import { segment, type AdminRequest } from '../http/admin-request';
import { LogTail, timeArgument } from '../log-tail';
import { milliseconds, shortTime } from '../output/formats';
import { cell, renderRecord, renderTable, type Column } from '../output/table';
import { resolveKey } from '../resolve';
import type { RequestLogPage, RequestLogView } from '../views';

/** Request logs: filtered lists newest first, `--follow` to tail them, one conversation's requests in order. */

const DEFAULT_LIMIT = 20;
const FOLLOW_PAGE = 100;
/** Pages fetched per poll at most: more new rows than this in one interval are shown from the newest. */
const FOLLOW_MAX_PAGES = 10;

const model = (row: RequestLogView): string =>
  row.mapped_model === null || row.mapped_model === row.requested_model
    ? cell(row.requested_model)
    : `${cell(row.requested_model)} -> ${row.mapped_model}`;
const status = (row: RequestLogView): string => (row.error_code === null ? String(row.status) : `${row.status} ${row.error_code}`);
const tokens = (row: RequestLogView): string | null =>
  row.tokens === null || row.tokens.total === null ? null : `${cell(row.tokens.input)}/${cell(row.tokens.output)}`;

export const logColumns: readonly Column<RequestLogView>[] = [
  { header: 'started', value: (row) => shortTime(row.started_at) },
  { header: 'status', value: status },
  { header: 'model', value: model },
  { header: 'channel', value: (row) => row.channel },
  { header: 'latency', value: (row) => milliseconds(row.latency_ms), align: 'right' },
  { header: 'tokens in/out', value: tokens, align: 'right' },
  { header: 'conversation', value: (row) => row.conversation_key },
  { header: 'request id', value: (row) => row.request_id },
];

/** `--follow` prints rows as they come, so widths are fixed instead of measured. */
const FOLLOW_WIDTHS = [19, 16, 36, 20, 8, 13, 24];

function fixedWidth(values: readonly string[]): string {
  return values
    .map((value, index) => (index < FOLLOW_WIDTHS.length ? value.padEnd(FOLLOW_WIDTHS[index]!) : value))
    .join('  ')
    .trimEnd();
}

export function followLine(row: RequestLogView): string {
  return fixedWidth(logColumns.map((column) => cell(column.value(row))));
}

export function followHeader(): string {
  return fixedWidth(logColumns.map((column) => column.header.toUpperCase()));
}

export interface LogFilters {
  project?: string;
  api_key?: string;
  model?: string;
  channel?: string;
  status?: string;
  conversation?: string;
  since?: string;
  until?: string;
}

/** The filters of `axonhub logs` as the API's query (the key already resolved to its id). */
export function logFilters(values: OptionValues, apiKeyId: string | undefined, now: Date): LogFilters {
  const since = stringOption(values, 'since');
  const until = stringOption(values, 'until');
  return {
    project: stringOption(values, 'project'),
    api_key: apiKeyId,
    model: stringOption(values, 'model'),
    channel: stringOption(values, 'channel'),
    status: stringOption(values, 'status'),
    conversation: stringOption(values, 'conversation'),
    since: since === undefined ? undefined : timeArgument(since, now),
    until: until === undefined ? undefined : timeArgument(until, now, '--until'),
  };
}

export function listLogsRequest(filters: LogFilters, limit: number, cursor?: string): AdminRequest {
  return { method: 'GET', path: '/request-logs', query: { ...filters, limit, cursor } };
}

export function conversationRequest(conversation: string, limit: number, cursor?: string): AdminRequest {
  return { method: 'GET', path: `/conversations/${segment(conversation)}/requests`, query: { limit, cursor } };
}

async function follow(
  context: CommandContext,
  api: AdminApi,
  filters: LogFilters,
  first: RequestLogPage,
  intervalMs: number,
): Promise<void> {
  const tail = new LogTail();
  const print = (rows: readonly RequestLogView[]): void => {
    for (const row of rows) context.out(context.json ? `${JSON.stringify(row)}\n` : `${followLine(row)}\n`);
  };
  if (!context.json) context.out(`${followHeader()}\n`);
  print(tail.accept(first.items));
  context.note('Following new requests; Ctrl-C to stop.\n');
  while (!context.interrupted()) {
    await context.sleep(intervalMs);
    if (context.interrupted()) break;
    const since = tail.nextSince(filters.since);
    const rows: RequestLogView[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < FOLLOW_MAX_PAGES; page += 1) {
      const answer = await api.send<RequestLogPage>(listLogsRequest({ ...filters, since }, FOLLOW_PAGE, cursor));
      rows.push(...answer.items);
      if (answer.next_cursor === null || tail.allSeen(answer.items)) break;
      cursor = answer.next_cursor;
    }
    print(tail.accept(rows));
  }
}

const logs: CommandSpec = {
  words: ['logs'],
  usage:
    '[--key K] [--conversation C] [--model M] [--channel C] [--status S] [--project P] [--since T] [--until T] [-n N] [--cursor C] [--follow]',
  summary: 'Request logs, newest first; --follow prints new ones as they come',
  details: `--since and --until take an ISO 8601 time or a duration back from now (30s, 10m, 2h, 1d).
--model matches the requested or the mapped model. -n is the page size (default ${DEFAULT_LIMIT}); the
next page: --cursor with the printed next_cursor. --follow polls every --interval seconds (default 2) and
prints new rows oldest first (with --json: one JSON object per line); Ctrl-C ends it (exit 0).

  axonhub logs --key codex --follow
  axonhub logs --conversation 019a...  --since 1h --json`,
  options: ['key', 'project', 'conversation', 'model', 'channel', 'status', 'since', 'until', 'limit', 'cursor', 'follow', 'interval'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const limit = integerOption(values, 'limit', 1, 1000) ?? DEFAULT_LIMIT;
    const intervalMs = (integerOption(values, 'interval', 1, 3600) ?? 2) * 1000;
    const filters = logFilters(values, undefined, context.now());
    const api = await context.api();
    const keyReference = stringOption(values, 'key');
    if (keyReference !== undefined) filters.api_key = (await resolveKey(api, keyReference, filters.project)).id;
    const page = await api.send<RequestLogPage>(listLogsRequest(filters, limit, stringOption(values, 'cursor')));
    if (flag(values, 'follow')) return follow(context, api, filters, page, intervalMs);
    show(
      context,
      page,
      () =>
        `${renderTable(page.items, logColumns, context)}${page.next_cursor === null ? '' : `next page: --cursor ${page.next_cursor}\n`}`,
    );
  },
};

const showLog: CommandSpec = {
  words: ['logs', 'show'],
  usage: '<request id>',
  summary: 'One request-log row (the AH-Request-Id of a response)',
  options: [],
  args: { min: 1, max: 1 },
  async run(context, { args }) {
    const row = await (await context.api()).send<RequestLogView>({ method: 'GET', path: `/request-logs/${segment(args[0]!)}` });
    show(context, row, () =>
      renderRecord([
        ['request id', row.request_id],
        ['started', row.started_at],
        ['endpoint', `${row.endpoint}${row.stream ? ' (stream)' : ''}`],
        ['project', row.project],
        ['api key id', row.api_key_id],
        ['conversation', row.conversation_key],
        ['model', row.requested_model],
        ['mapped model', row.mapped_model],
        ['upstream model', row.upstream_model === row.mapped_model ? null : row.upstream_model],
        ['channel', row.channel],
        ['status', status(row)],
        ['error', row.error_message],
        ['latency', milliseconds(row.latency_ms)],
        ['first token', milliseconds(row.ttft_ms)],
        ['tokens', row.tokens],
        ['warnings', row.warnings],
      ]),
    );
  },
};

const conversation: CommandSpec = {
  words: ['conversation'],
  usage: '<conversation key> [-n N]',
  summary: "One conversation's requests, oldest first (all of them, or the first N)",
  options: ['limit'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const wanted = integerOption(values, 'limit', 1) ?? Number.POSITIVE_INFINITY;
    const api = await context.api();
    const items: RequestLogView[] = [];
    let cursor: string | undefined;
    let nextCursor: string | null = null;
    do {
      const page = await api.send<RequestLogPage>(conversationRequest(args[0]!, Math.min(200, wanted - items.length), cursor));
      items.push(...page.items);
      nextCursor = page.next_cursor;
      cursor = nextCursor ?? undefined;
    } while (nextCursor !== null && items.length < wanted);
    const answer: RequestLogPage = { items, next_cursor: nextCursor };
    show(context, answer, () => renderTable(items, logColumns, context));
  },
};

export const LOG_COMMANDS: readonly CommandSpec[] = [logs, showLog, conversation];
