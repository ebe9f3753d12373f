/**
 * The cross-protocol matrix, answer side (issue 14 items 3, 4, 6): every recorded upstream answer of every
 * shared scenario, decoded by its channel type's codecs and encoded for every client protocol, streamed and
 * whole, then read back with the client protocol's own decoder and compared with what the upstream said.
 * Mid-stream failures in each dialect (the recorded `event: error`, an `error` member inside a chunk, a stream
 * cut before its end) must reach every client as its protocol's in-stream failure. Protocols come from the
 * registry's lists (see protocols.ts), recordings from recording-index.ts; the matrix is printed at the end.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { matrixClients, matrixUpstreams, type MatrixClient, type MatrixUpstream } from './protocols';
import { ANSWER_SCENARIOS, FIXTURE_DIRS, allUpstreamRecordings, recordedBody, recordedStream, recordingPath } from './recording-index';
import { CLIENT_MODEL, cutBeforeTerminal, runStreamCell, runWholeCell, withErrorChunk } from './answer-cells';
import { answerDifferences, foreignIdPrefix } from './answer-fidelity';
import { MatrixTable } from './matrix-table';
import { STRICT_FRAMING } from './stream-framing';

const table = new MatrixTable('cross-protocol matrix, answers (pure codecs): upstream recording → client protocol');
const clientNames = matrixClients.map((client) => client.name);
afterAll(() => console.log(table.render()));

const rowName = (scenario: string, mode: string, upstream: MatrixUpstream): string =>
  `${scenario} ${mode} ← ${upstream.channelType}${upstream.source === 'codecs' ? ' (codecs)' : ''}`;

function verdict(row: string, client: MatrixClient, check: () => string[]): void {
  let lossy: string[];
  try {
    lossy = check();
  } catch (error) {
    table.record(row, client.name, 'FAIL');
    throw error;
  }
  table.record(row, client.name, lossy.length === 0 ? 'ok' : `ok, lossy: ${lossy.join(', ')}`);
}

describe('matrix coverage', () => {
  it('every upstream recording belongs to a scenario', () => {
    const indexed = new Set(
      ANSWER_SCENARIOS.flatMap((scenario) =>
        [...Object.entries(scenario.stream), ...Object.entries(scenario.whole ?? {})].map(
          ([folder, recording]) => `${folder}/${recording.file}`,
        ),
      ),
    );
    expect(allUpstreamRecordings().filter((path) => !indexed.has(path))).toEqual([]);
  });

  it("every upstream recording's IR is pinned under expected/ (streams and whole answers)", () => {
    const pinned = (path: string): string => {
      const [folder, file] = path.split('/') as [string, string];
      const name = file.endsWith('.json') ? `${file.slice(0, -'.json'.length)}-json` : file.replace(/\.sse$/, '');
      return join(__dirname, '..', 'expected', folder, `${name}.ir.json`);
    };
    expect(allUpstreamRecordings().filter((path) => !existsSync(pinned(path)))).toEqual([]);
  });

  it.each(matrixUpstreams.map((upstream) => [upstream.channelType, upstream] as const))(
    'channel type %s has a recording for every scenario the issue requires',
    (_type, upstream) => {
      const folder = FIXTURE_DIRS[upstream.channelType];
      const missing = ANSWER_SCENARIOS.flatMap((scenario) => [
        ...(scenario.requiredStream && (folder === undefined || scenario.stream[folder] === undefined) ? [`${scenario.id} stream`] : []),
        ...(scenario.requiredWhole && (folder === undefined || scenario.whole?.[folder] === undefined) ? [`${scenario.id} whole`] : []),
      ]);
      expect(missing).toEqual([]);
    },
  );
});

for (const scenario of ANSWER_SCENARIOS) {
  describe(`scenario ${scenario.id}`, () => {
    for (const upstream of matrixUpstreams) {
      const folder = FIXTURE_DIRS[upstream.channelType] ?? upstream.channelType;
      for (const mode of ['stream', 'whole'] as const) {
        const recording = mode === 'stream' ? scenario.stream[folder] : scenario.whole?.[folder];
        const row = rowName(scenario.id, mode, upstream);
        table.declare(row);
        if (recording === undefined) {
          if (mode === 'stream' || scenario.whole !== undefined) table.missing(row, clientNames);
          continue;
        }
        const source = recordingPath(folder, recording);
        for (const client of matrixClients) {
          it(`${source} → ${client.name} (${mode})`, () =>
            verdict(row, client, () => {
              if (mode === 'whole') {
                const cell = runWholeCell(upstream, client, recordedBody(folder, recording));
                expect(cell.client.model).toBe(CLIENT_MODEL);
                expect(foreignIdPrefix(client, cell.client.id)).toBeUndefined();
                return answerDifferences(client, upstream, cell.upstream, cell.client, 'whole');
              }
              const cell = runStreamCell(upstream, client, recordedStream(folder, recording));
              if (scenario.failure === true) {
                expect(cell.upstreamFailed).toBe(true);
                expect({ complete: cell.client.complete, failed: cell.client.failure !== undefined }).toEqual({
                  complete: false,
                  failed: true,
                });
                return [];
              }
              expect({ upstreamFailed: cell.upstreamFailed, failure: cell.client.failure?.message }).toEqual({
                upstreamFailed: false,
                failure: undefined,
              });
              expect(cell.client.complete).toBe(true);
              STRICT_FRAMING[client.name]?.(cell.client.out);
              expect(cell.client.facts.model).toBe(CLIENT_MODEL);
              expect(foreignIdPrefix(client, cell.client.facts.id)).toBeUndefined();
              return answerDifferences(client, upstream, cell.upstream, cell.client.facts, 'stream');
            }));
        }
      }
    }
  });
}

/** Failure dialects made from each upstream's `text` recording, for every upstream (its own error envelope, its own terminal). */
describe('mid-stream failures in every dialect reach every client as its in-stream failure', () => {
  const text = ANSWER_SCENARIOS.find((scenario) => scenario.id === 'text');
  for (const upstream of matrixUpstreams) {
    const folder = FIXTURE_DIRS[upstream.channelType] ?? upstream.channelType;
    const recording = text?.stream[folder];
    for (const dialect of ['error-member', 'cut-before-end'] as const) {
      const row = rowName(dialect, 'stream', upstream);
      table.declare(row);
      if (recording === undefined) {
        table.missing(row, clientNames);
        continue;
      }
      for (const client of matrixClients) {
        it(`${upstream.channelType} ${dialect} → ${client.name}`, () =>
          verdict(row, client, () => {
            const events = recordedStream(folder, recording);
            const faulty = dialect === 'error-member' ? withErrorChunk(upstream, events) : cutBeforeTerminal(upstream, events);
            expect(faulty).toBeDefined();
            const cell = runStreamCell(upstream, client, faulty ?? []);
            expect(cell.upstreamFailed).toBe(true);
            expect({ complete: cell.client.complete, failed: cell.client.failure !== undefined }).toEqual({
              complete: false,
              failed: true,
            });
            // What arrived before the failure reached the client too.
            expect(cell.client.facts.text).toBe(cell.upstream.text);
            return [];
          }));
      }
    }
  }
});
