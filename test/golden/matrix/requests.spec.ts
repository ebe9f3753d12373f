/**
 * The cross-protocol matrix, request side: each shared scenario as every client protocol states it, and every
 * real recorded client request, decoded by the client's codecs and encoded for every upstream, then read back
 * with the upstream protocol's own request decoder. Whatever the upstream's request lost must be in the
 * warnings (AH-Warnings): converted or dropped with a warning, never silently. Reasoning state goes back
 * losslessly to its issuer's channel type. The recorded client requests' IR is pinned (expected/clients/).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WarningCollector, type IrRequest } from '@gw/ir';
import { fixturesRoot } from '../../support/recordings';
import { expectPinned } from '../relay-stream';
import { clientRecordings } from './client-recordings';
import { MatrixTable } from './matrix-table';
import { matrixClients, matrixUpstreams, nativeClientOf, nativeUpstreamOf, type MatrixClient, type MatrixUpstream } from './protocols';
import { requestFacts, type RequestFacts } from './request-facts';
import { REQUEST_SCENARIOS } from './request-scenarios';

const MAPPED_MODEL = 'mapped-model';
const table = new MatrixTable('cross-protocol matrix, requests (pure codecs): client protocol → upstream request');
afterAll(() => console.log(table.render()));

interface Translated {
  sent: IrRequest;
  received: IrRequest;
  warnings: string[];
  body: unknown;
}

/** Client body → IR → the upstream's body → that protocol's own request decoder. */
function translate(client: MatrixClient, upstream: MatrixUpstream, body: unknown, stream: boolean): Translated {
  const sent = client.decodeRequest(body, { endpoint: 'matrix', model: 'client-model', stream });
  const warnings = new WarningCollector();
  const encoded = upstream.encodeRequest({ ...sent, model: MAPPED_MODEL }, warnings);
  const received = nativeClientOf(upstream).decodeRequest(JSON.parse(JSON.stringify(encoded.body)), {
    endpoint: 'matrix',
    model: MAPPED_MODEL,
    stream,
  });
  return { sent, received, warnings: warnings.list.map((warning) => `${warning.code}: ${warning.message}`), body: encoded.body };
}

/**
 * The facts that differ; each must be covered by a warning. Not losses: an output limit the upstream requires
 * where the client set none (Anthropic's `max_tokens`), and a tool result's error flag to a protocol without
 * one: the result's content, which says what failed, is all such a protocol carries (ADR 0015).
 */
function lostFacts(sent: RequestFacts, received: RequestFacts): (keyof RequestFacts)[] {
  const comparable = (facts: RequestFacts): RequestFacts => ({
    ...facts,
    maxOutputTokens: sent.maxOutputTokens === undefined ? undefined : facts.maxOutputTokens,
    toolResults: facts.toolResults.map((result) => ({ ...result, isError: false })),
    // A freeform tool becomes a function of one string to protocols without freeform tools (issue 14, by design).
    toolParameters: Object.fromEntries(Object.entries(facts.toolParameters).filter(([name]) => sent.toolParameters[name] !== 'freeform')),
  });
  const [before, after] = [comparable(sent), comparable(received)];
  return (Object.keys(before) as (keyof RequestFacts)[]).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** Where two long values part ways, with a little context (Codex's instructions are 20 KB). */
function firstDifference(sent: string, received: string): { at: number; sent: string; received: string } {
  let at = 0;
  while (at < sent.length && sent[at] === received[at]) at++;
  const from = Math.max(0, at - 60);
  return { at, sent: sent.slice(from, at + 120), received: received.slice(from, at + 120) };
}

function checkCell(row: string, client: MatrixClient, upstream: MatrixUpstream, body: unknown, stream: boolean): void {
  let verdict = 'FAIL';
  try {
    const { sent, received, warnings } = translate(client, upstream, body, stream);
    expect(received.model).toBe(MAPPED_MODEL);
    expect(received.stream).toBe(stream);
    const before = requestFacts(sent);
    const after = requestFacts(received);
    const lost = lostFacts(before, after);
    // Reasoning state the client sent back goes to its issuer's channel type whole.
    if (before.reasoningState.includes(upstream.channelType)) expect(after.reasoningState).toContain(upstream.channelType);
    if (lost.length > 0 && warnings.length === 0) {
      const diff = lost.map((key) => ({ key, ...firstDifference(JSON.stringify(before[key]), JSON.stringify(after[key])) }));
      throw new Error(`silently lost (no warning): ${JSON.stringify(diff, null, 1)}`);
    }
    verdict = lost.length === 0 ? 'ok' : `ok, warned: ${lost.join(', ')}`;
  } finally {
    table.record(row, `→ ${upstream.channelType}`, verdict);
  }
}

describe('shared request scenarios, every client protocol → every upstream', () => {
  for (const scenario of REQUEST_SCENARIOS) {
    for (const client of matrixClients) {
      const row = `${scenario.id} from ${client.name}`;
      table.declare(row);
      for (const upstream of matrixUpstreams) {
        it(`${scenario.id}: ${client.name} → ${upstream.channelType}`, () => {
          // The client's body for the scenario, in its protocol's shape (made by its protocol's own encoder).
          const body = nativeUpstreamOf(client).encodeRequest(scenario.request, new WarningCollector()).body;
          checkCell(row, client, upstream, body, false);
        });
      }
    }
  }
});

describe('recorded client requests → every upstream', () => {
  it('every recorded client request file is in the list', () => {
    const root = join(fixturesRoot(), 'clients');
    const files = readdirSync(root).flatMap((folder) =>
      folder.endsWith('.jsonl')
        ? ['sdk-requests']
        : readdirSync(join(root, folder)).map((file) => `${folder}/${file.replace(/(\.request)?\.json$/, '')}`),
    );
    const listed = new Set(clientRecordings().map((recording) => recording.name.replace(/\/\d+$/, '')));
    expect(files.filter((file) => !listed.has(file))).toEqual([]);
  });

  for (const recording of clientRecordings()) {
    const client = matrixClients.find((candidate) => candidate.name === recording.protocol);
    it(`${recording.name} → IR (pinned)`, () => {
      expect(client).toBeDefined();
      expectPinned(`clients/${recording.name}.ir`, client?.decodeRequest(recording.body, { endpoint: 'matrix', stream: recording.stream }));
    });
    const row = `${recording.name} (${recording.protocol})`;
    table.declare(row);
    for (const upstream of matrixUpstreams) {
      it(`${recording.name} → ${upstream.channelType}`, () => {
        if (client === undefined) throw new Error(`matrix: no client protocol ${recording.protocol}`);
        checkCell(row, client, upstream, recording.body, recording.stream);
      });
    }
  }
});

describe('reasoning replay through a Responses client (Codex on an Anthropic channel)', () => {
  it("the thinking signature the client got in encrypted_content reaches the Anthropic upstream as Anthropic's own", () => {
    const responses = matrixClients.find((client) => client.name === 'openai-responses');
    const anthropic = matrixUpstreams.find((upstream) => upstream.channelType === 'anthropic');
    if (responses === undefined || anthropic === undefined)
      throw new Error('matrix: needs the Responses client and the Anthropic upstream');
    // What Codex received for an Anthropic thinking block, and sends back as its next turn's input.
    const answer = responses.encodeResponse(
      {
        id: 'msg_1',
        model: 'claude',
        created: 1,
        finishReason: 'tool_calls',
        output: [
          { kind: 'reasoning', text: 'Weather needed.', providerData: { anthropic: { signature: 'EqQBCkYIBxgCKkB' } } },
          { kind: 'tool_call', callId: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      { newId: (prefix) => `${prefix}_1`, now: () => 1 },
      'gpt-5',
    ) as { output: unknown[] };
    const body = {
      model: 'gpt-5',
      input: [
        { type: 'message', role: 'user', content: 'Weather in Paris?' },
        ...answer.output,
        { type: 'function_call_output', call_id: 'toolu_1', output: '18°C' },
      ],
      tools: [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } }],
    };
    const { body: sent, warnings } = translate(responses, anthropic, body, false);
    const assistant = (sent as { messages: { role: string; content: { type: string; signature?: string }[] }[] }).messages.find(
      (message) => message.role === 'assistant',
    );
    expect(assistant?.content.find((block) => block.type === 'thinking')?.signature).toBe('EqQBCkYIBxgCKkB');
    expect(warnings).toEqual([]);
  });
});
