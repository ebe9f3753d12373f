import type { GatewayUnderTest } from '../../e2e/support/gateway-under-test';
import { uniqueMarker } from '../../e2e/support/e2e-context';
import type { FakeUpstream, UpstreamHandler, UpstreamReply } from '../../support/fake-upstream';
import { checkClientAnswer } from './client-answer';
import { CLIENT_PATHS, channelKeyHeader, clientKeyHeader, clientPath, clientRequestBody, type ClientPath } from './client-paths';
import { countCredentialPieces, findCredentialLeaks } from './credential-leaks';
import { postRaw } from './raw-client';
import type { RequestLogRows } from './request-log-rows';
import { FAULTS, fault as faultNamed, type Fault } from './upstream-faults';
import { Verdict } from './verdict';

/** One cell of the matrix: a fault, on one client/channel path, streamed or not. */
export interface FaultCell {
  fault: Fault;
  path: ClientPath;
  stream: boolean;
}

export function cellColumn(cell: FaultCell): string {
  return `${cell.path.id} ${cell.stream ? 'stream' : 'whole'}`;
}

/** Every cell where the fault exists: both streamed and non-streamed where it applies, on every path whose channel can produce it. */
export function allCells(): FaultCell[] {
  return FAULTS.flatMap((fault) =>
    CLIENT_PATHS.filter((path) => !fault.channels || fault.channels.includes(path.channel)).flatMap((path) =>
      [true, false].filter((stream) => (stream ? fault.streamed : fault.whole)).map((stream) => ({ fault, path, stream })),
    ),
  );
}

export function cellsNamed(names: ReadonlyArray<readonly [faultId: string, pathId: string, stream: 'stream' | 'whole']>): FaultCell[] {
  return names.map(([faultId, pathId, stream]) => ({ fault: faultNamed(faultId), path: clientPath(pathId), stream: stream === 'stream' }));
}

/**
 * Plays each cell's fault for the request carrying its marker (in the user's text), so a stray request or
 * one cell's leftovers never get another cell's fault.
 */
export class FaultRouter {
  private readonly replies = new Map<string, UpstreamReply>();

  set(marker: string, reply: UpstreamReply): void {
    this.replies.set(marker, reply);
  }

  readonly handler: UpstreamHandler = (request) => {
    for (const [marker, reply] of this.replies) {
      if (request.rawBody.includes(marker)) return reply;
    }
    return undefined;
  };
}

export interface FaultSuiteContext {
  gateway: GatewayUnderTest;
  upstream: FakeUpstream;
  router: FaultRouter;
  rows: RequestLogRows;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Far beyond the gateway's short upstream timeouts: reaching it means the gateway never ended the answer. */
const CLIENT_DEADLINE_MS = 15_000;
const ROW_WAIT_MS = 10_000;

/** Sends one request through the fault and checks every requirement; returns the verdict (not yet asserted). */
export async function runFaultCell(context: FaultSuiteContext, cell: FaultCell): Promise<Verdict> {
  const { gateway, upstream, router, rows } = context;
  const { fault, path, stream } = cell;
  const verdict = new Verdict();
  const channelKey = gateway.channelKeys[path.channel];
  const channelKeys = Object.values(gateway.channelKeys);
  const marker = uniqueMarker(`fault-${fault.id}`);
  router.set(marker, fault.reply(path.channel, stream, channelKey));
  const keyPiecesInOutputBefore = countCredentialPieces(gateway.output(), channelKeys);

  const answer = await postRaw(
    `${gateway.origin}${path.endpoint(stream)}`,
    clientRequestBody(path, marker, stream),
    clientKeyHeader(path, gateway.apiKey),
    CLIENT_DEADLINE_MS,
  );

  // Preconditions: the fault really was played to the gateway, on the channel whose key is checked below.
  const upstreamRequest = upstream.requests.find((request) => request.rawBody.includes(marker));
  const signature = channelKeyHeader(path.channel, channelKey);
  verdict.check('setup', () => {
    const sent = Object.fromEntries(Object.keys(signature).map((name) => [name, upstreamRequest?.headers[name]]));
    expect({ path: upstreamRequest?.path, ...sent }).toEqual({ path: path.upstreamPath(stream), ...signature });
  });

  const expected = fault.expected(stream);
  checkClientAnswer(verdict, answer, path.client, expected);

  const requestId = answer.headers['ah-request-id'];
  verdict.check('request id', () => expect(requestId).toMatch(UUID));
  let rowText = '';
  if (typeof requestId === 'string') {
    const found = await rows.waitForRows(requestId, ROW_WAIT_MS);
    rowText = found.join('\n');
    verdict.check('row', () => {
      const row = found.length === 1 ? (JSON.parse(found[0] ?? '{}') as Record<string, unknown>) : undefined;
      expect({ rows: found.length, status: row?.['status'], error_code: row?.['error_code'] }).toEqual({
        rows: 1,
        status: expected.status,
        error_code: expected.code ?? expect.any(String),
      });
    });
  }

  // Leaks: the answer's headers and body, every column of the row, and what the gateway printed meanwhile.
  verdict.check('no key', () => {
    const leaks = findCredentialLeaks(
      { 'response headers': answer.headerText, 'response body': answer.body, 'request-log row': rowText },
      channelKeys,
    );
    const printed = countCredentialPieces(gateway.output(), channelKeys) - keyPiecesInOutputBefore;
    if (printed > 0) leaks.push(`gateway output: ${printed} new occurrence(s) of channel-key pieces (see gateway.output())`);
    expect(leaks).toEqual([]);
  });
  return verdict;
}
