/**
 * The cross-protocol matrix through the BUILT gateway (embedded mode): a subset of the golden matrix's cells
 * (test/golden/matrix) with real HTTP on both sides. Every client protocol the registry lists with a fixed path ×
 * every listed channel type × streamed and whole, for the scenarios text, tool and reasoning, and the mid-stream
 * failure dialects (an `error` member in a chunk, a stream cut before its end). The fake upstream replays the
 * channel type's recording; the client's answer is read back with its protocol's own decoder and compared with
 * what the recording says, as the golden matrix does. Pass-through cells (same protocol) are compared too.
 * Channel types and client protocols join as their wires are listed; the table is printed at the end.
 */
import { GatewayError, WarningCollector, type IrRequest } from '@gw/ir';
import { formatSseEvent, type SseEvent } from '@gw/sse';
import { startFakeUpstream, type FakeUpstream, type UpstreamReply } from '../support/fake-upstream';
import { cutBeforeTerminal, readBackStream, withErrorChunk } from '../golden/matrix/answer-cells';
import { factsOfResponse, factsOfStream } from '../golden/matrix/answer-facts';
import { answerDifferences } from '../golden/matrix/answer-fidelity';
import { MatrixTable } from '../golden/matrix/matrix-table';
import { matrixClients, matrixUpstreams, nativeUpstreamOf, type MatrixClient, type MatrixUpstream } from '../golden/matrix/protocols';
import { ANSWER_SCENARIOS, FIXTURE_DIRS, recordedBody, recordedStream, type Recording } from '../golden/matrix/recording-index';
import { relayStream } from '../golden/relay-stream';
import { sequentialCodecContext } from '@gw/ir';
import { uniqueMarker, waitForRequestLogs } from './support/e2e-context';
import { startMatrixGateway, type MatrixGateway } from './support/matrix-gateway';

const SCENARIOS = ['text', 'tool', 'reasoning'];
const DIALECTS = ['error-member', 'cut-before-end'] as const;

/** Cells run through the gateway: the registry's wires (codec-only protocols are covered by the golden matrix). */
const clients = matrixClients.filter((client) => client.source === 'registry');
const upstreams = matrixUpstreams.filter((upstream) => upstream.source === 'registry');

const table = new MatrixTable('cross-protocol matrix through the built gateway');

/**
 * Client protocols whose path holds the model (`matchPath`) have no fixed path to call: how their clients build
 * it (Gemini's documented `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`). A listed client
 * protocol with neither is printed as not run.
 */
const PATTERNED_PATHS: Readonly<Record<string, (model: string, stream: boolean) => string>> = {
  gemini: (model, stream) => `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
};

function clientPath(client: MatrixClient, model: string, stream: boolean): string | undefined {
  return client.paths[0] ?? PATTERNED_PATHS[client.name]?.(model, stream);
}

/** The client's smallest request in its own protocol (made by its protocol's encoder), carrying the marker. */
function clientBody(client: MatrixClient, model: string, marker: string, stream: boolean): unknown {
  const request: IrRequest = {
    model,
    stream,
    includeUsageInStream: true,
    tools: [],
    items: [{ kind: 'message', role: 'user', content: [{ type: 'text', text: marker }] }],
  };
  return nativeUpstreamOf(client).encodeRequest(request, new WarningCollector()).body;
}

const sseText = (events: readonly SseEvent[]): string => events.map((event) => formatSseEvent(event.data, event.event)).join('');

/** What the upstream's answer says, decoded by the pure codecs (the relay's own result is what is under test). */
function upstreamStreamFacts(upstream: MatrixUpstream, events: SseEvent[]): ReturnType<typeof factsOfStream> {
  const ctx = sequentialCodecContext();
  return factsOfStream(
    relayStream(events, upstream.createStreamDecoder(ctx, undefined), { push: () => '', end: () => '', fail: () => '' }).ir,
  );
}

describe('cross-protocol matrix, built gateway (embedded)', () => {
  let upstream: FakeUpstream | undefined;
  let matrix: MatrixGateway | undefined;
  const replies = new Map<string, UpstreamReply>();

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    upstream.script((request) => [...replies].find(([marker]) => request.rawBody.includes(marker))?.[1]);
    matrix = await startMatrixGateway(upstream);
  }, 90_000);
  afterAll(async () => {
    console.log(table.render());
    await matrix?.gateway.stop();
    await upstream?.close();
  }, 30_000);

  /** Sends the client's request with `reply` played for it; returns the answer and the request-log row's status. */
  async function exchange(client: MatrixClient, channel: MatrixUpstream, stream: boolean, reply: UpstreamReply) {
    if (!matrix) throw new Error('e2e: the gateway did not start (see the beforeAll failure)');
    const marker = uniqueMarker('matrix');
    replies.set(marker, reply);
    const model = matrix.model(channel.channelType);
    const response = await fetch(`${matrix.gateway.origin}${clientPath(client, model, stream) ?? ''}`, {
      method: 'POST',
      // Where each protocol's clients put the key; a wire reads its own.
      headers: {
        authorization: `Bearer ${matrix.apiKey}`,
        'x-api-key': matrix.apiKey,
        'x-goog-api-key': matrix.apiKey,
        'content-type': 'application/json',
      },
      body: JSON.stringify(clientBody(client, model, marker, stream)),
    });
    const text = await response.text();
    const requestId = response.headers.get('ah-request-id') ?? '';
    const [row] = await waitForRequestLogs(matrix.gateway, { requestId }, 1);
    return { status: response.status, text, model, row };
  }

  for (const client of clients.filter((candidate) => clientPath(candidate, 'm', true) === undefined)) {
    table.declare('(client protocols without a path to call)');
    table.record('(client protocols without a path to call)', client.name, 'not run');
  }
  for (const client of clients.filter((candidate) => clientPath(candidate, 'm', true) !== undefined)) {
    for (const channel of upstreams) {
      const folder = FIXTURE_DIRS[channel.channelType] ?? channel.channelType;
      const passthrough = client.nativeChannelType === channel.channelType;
      for (const scenario of ANSWER_SCENARIOS.filter((candidate) => SCENARIOS.includes(candidate.id))) {
        for (const stream of [true, false]) {
          const recording: Recording | undefined = stream ? scenario.stream[folder] : scenario.whole?.[folder];
          const row = `${scenario.id} ${stream ? 'stream' : 'whole'} ← ${channel.channelType}`;
          table.declare(row);
          if (recording === undefined) {
            table.record(row, client.name, 'missing');
            continue;
          }
          it(`${scenario.id} ${stream ? 'stream' : 'whole'}: ${client.name} → ${channel.channelType}${passthrough ? ' (pass-through)' : ''}`, async () => {
            let verdict = 'FAIL';
            try {
              const fixture = `${folder}/${recording.file}`;
              const answer = await exchange(client, channel, stream, {
                fixture,
                ...(recording.response === undefined ? {} : { response: recording.response }),
              });
              expect({ status: answer.status, row: answer.row?.status }).toEqual({ status: 200, row: 200 });
              let lossy: string[];
              if (stream) {
                const upstreamFacts = upstreamStreamFacts(channel, recordedStream(folder, recording));
                const read = readBackStream(client, answer.text);
                expect({ complete: read.complete, failure: read.failure?.message }).toEqual({ complete: true, failure: undefined });
                // ADR 0003: a translated answer names the client's model; a pass-through one is the upstream's as it came.
                expect(read.facts.model).toBe(passthrough ? upstreamFacts.model : answer.model);
                lossy = answerDifferences(client, channel, upstreamFacts, read.facts, 'stream');
              } else {
                const upstreamFacts = factsOfResponse(channel.decodeResponse(recordedBody(folder, recording), undefined));
                const read = factsOfResponse(nativeUpstreamOf(client).decodeResponse(JSON.parse(answer.text), undefined));
                expect(read.model).toBe(passthrough ? upstreamFacts.model : answer.model);
                lossy = answerDifferences(client, channel, upstreamFacts, read, 'whole');
              }
              verdict = lossy.length === 0 ? 'ok' : `ok, lossy: ${lossy.join(', ')}`;
            } finally {
              table.record(row, client.name, verdict);
            }
          }, 30_000);
        }
      }

      const text = ANSWER_SCENARIOS.find((scenario) => scenario.id === 'text')?.stream[folder];
      for (const dialect of DIALECTS) {
        const row = `${dialect} stream ← ${channel.channelType}`;
        table.declare(row);
        if (text === undefined) {
          table.record(row, client.name, 'missing');
          continue;
        }
        it(`${dialect}: ${client.name} → ${channel.channelType}${passthrough ? ' (pass-through)' : ''}`, async () => {
          let verdict = 'FAIL';
          try {
            const events = recordedStream(folder, text);
            const faulty = dialect === 'error-member' ? withErrorChunk(channel, events) : cutBeforeTerminal(channel, events);
            if (faulty === undefined) throw new Error(`matrix: ${folder}/${text.file} cannot be cut before its terminal event`);
            const answer = await exchange(client, channel, true, { sse: sseText(faulty) });
            expect(answer.status).toBe(200);
            const read = readBackStream(client, answer.text);
            // The client's own protocol says it failed, never that it completed; the row says what it was told.
            expect({ complete: read.complete, failed: read.failure instanceof GatewayError }).toEqual({ complete: false, failed: true });
            expect(answer.row?.status).toBeGreaterThanOrEqual(500);
            verdict = `ok (${answer.row?.status})`;
          } finally {
            table.record(row, client.name, verdict);
          }
        }, 30_000);
      }
    }
  }
});
