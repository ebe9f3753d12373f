/**
 * `npm run bench:translation`: what translating one Codex request costs in CPU, without HTTP, sockets or the
 * rest of the machine: Codex's real first turn (Responses) → IR → a Chat upstream body, and a Chat answer
 * stream → IR → the Responses stream Codex reads. Each stage is timed alone (µs per operation, median of
 * BENCH_MICRO_ROUNDS rounds) and its allocation is counted (bytes allocated per operation, from the heap
 * growth over a run short enough for no collection to happen in it).
 *
 * The stages are the gateway's own functions in the order the data plane calls them (proxy.service.ts,
 * translating.relay.ts), so a figure here is a figure there minus HTTP; the rps of the `codex16` cell of
 * `npm run bench` tells whether a saving reaches the client.
 *
 * usage: node --expose-gc dist/bench/translation-micro.js [REQUEST_FIXTURE.json ...]
 *   default fixtures: bench/fixtures/codex-first-turn.json, the Codex fixtures of ../shared/fixtures when present
 * env: BENCH_MICRO_ROUNDS (7) BENCH_MICRO_MS (300: measured time per round and stage)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WarningCollector, jsonBytes, type CodecContext } from '@gw/ir';
import { ChatStreamDecoder, encodeChatRequest } from '@gw/protocol-openai-chat';
import { ResponsesStreamEncoder, decodeResponsesRequest } from '@gw/protocol-openai-responses';
import { SseParser } from '@gw/sse';
import { MAX_JSON_NESTING, isNestedWithin } from '../apps/ingress/src/http/json-nesting';

const ROOT = resolve(__dirname, '../..');
const ROUNDS = Math.max(1, Number(process.env.BENCH_MICRO_ROUNDS ?? 7));
const ROUND_MS = Number(process.env.BENCH_MICRO_MS ?? 300);
const SHARED = join(ROOT, '../shared/fixtures/clients/codex');
const DEFAULT_FIXTURES = [
  join(ROOT, 'bench/fixtures/codex-first-turn.json'),
  ...['additional-tools-first-turn.json', 'tool-followup.json'].map((name) => join(SHARED, name)).filter((file) => existsSync(file)),
];

// Ids and clock as the gateway makes them would add crypto to every figure; the codecs' cost is what is measured.
let counter = 0;
const ctx: CodecContext = { newId: (prefix) => `${prefix}_${++counter}`, now: () => 1_700_000_000 };

interface Stage {
  name: string;
  run: () => unknown;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Median µs per call over the rounds, each round as many calls as fit in ROUND_MS. */
function timeStage(stage: Stage): number {
  for (let i = 0; i < 200; i++) stage.run(); // warm-up: optimized code, not the interpreter's
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS) {
      for (let i = 0; i < 20; i++) stage.run();
      calls += 20;
      elapsed = performance.now() - t0;
    }
    perRound.push((elapsed * 1000) / calls);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)] ?? NaN;
}

/**
 * Bytes allocated per call: heap growth over a few calls between two full collections (young generation large
 * enough that none runs in between; a run that saw the heap shrink is retried with fewer calls).
 */
function allocatedBytes(stage: Stage): number | undefined {
  if (gc === undefined) return undefined;
  for (let calls = 64; calls >= 1; calls = Math.floor(calls / 2)) {
    const keep: unknown[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) keep.push(stage.run());
    const grown = process.memoryUsage().heapUsed - before;
    if (grown > 0) return grown / calls;
  }
  return undefined;
}

function stagesFor(file: string, answers: { name: string; sse: Buffer }[]): Stage[] {
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as { body: Record<string, unknown> };
  const text = JSON.stringify({ ...fixture.body, model: 'gpt-4o' });
  const bytes = Buffer.from(text);
  const parsed = JSON.parse(text) as unknown;
  const ir = decodeResponsesRequest(parsed);
  const encoded = encodeChatRequest({ ...ir, model: 'bench-chat' }, new WarningCollector());
  const translateRequest = (): Buffer => {
    if (!isNestedWithin(bytes, MAX_JSON_NESTING)) throw new Error('too deep');
    const request = decodeResponsesRequest(JSON.parse(bytes.toString('utf8')));
    const warnings = new WarningCollector();
    return jsonBytes(encodeChatRequest({ ...request, model: 'bench-chat' }, warnings).body);
  };
  const stages: Stage[] = [
    { name: 'body bytes → text', run: () => bytes.toString('utf8') },
    { name: 'nesting check (json-body.ts)', run: () => isNestedWithin(bytes, MAX_JSON_NESTING) },
    { name: 'JSON.parse', run: () => JSON.parse(text) as unknown },
    { name: 'decodeResponsesRequest', run: () => decodeResponsesRequest(parsed) },
    { name: 'encodeChatRequest', run: () => encodeChatRequest({ ...ir, model: 'bench-chat' }, new WarningCollector()) },
    { name: 'Buffer.from(JSON.stringify(upstream body))', run: () => Buffer.from(JSON.stringify(encoded.body)) },
    { name: 'jsonBytes(upstream body)', run: () => jsonBytes(encoded.body) },
    { name: 'request, all of the above', run: translateRequest },
  ];
  for (const answer of answers) {
    stages.push({
      name: `answer: ${answer.name}`,
      run: () => {
        const parser = new SseParser();
        const decoder = new ChatStreamDecoder(ctx, encoded.toolNames);
        const encoder = new ResponsesStreamEncoder(ctx, { model: 'gpt-4o' });
        let out = '';
        for (const sse of parser.push(answer.sse)) for (const event of decoder.push(sse)) out += encoder.push(event);
        for (const sse of parser.end()) for (const event of decoder.push(sse)) out += encoder.push(event);
        for (const event of decoder.end()) out += encoder.push(event);
        return out + encoder.end();
      },
    });
  }
  return stages;
}

function main(): void {
  const files = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_FIXTURES;
  const answers = [
    { name: '21-event Chat stream (../shared/bench)', sse: readFileSync(join(ROOT, 'bench/fixtures/chat-completion-short.sse')) },
    { name: '304-event Chat stream, 100 KB', sse: readFileSync(join(ROOT, 'bench/fixtures/chat-completion.sse')) },
  ];
  console.log(
    `Node ${process.version}; median of ${ROUNDS} rounds of ${ROUND_MS} ms per stage${gc ? '' : '; run with --expose-gc for allocation'}`,
  );
  for (const file of files) {
    console.log(`\n${file.replace(ROOT + '/', '')} (${(readFileSync(file).length / 1024).toFixed(1)} KB as recorded)`);
    console.log('| stage | µs/op | KB allocated/op |');
    console.log('|---|---:|---:|');
    for (const stage of stagesFor(file, file === files[0] ? answers : [])) {
      const us = timeStage(stage);
      const bytes = allocatedBytes(stage);
      console.log(`| ${stage.name} | ${us.toFixed(1)} | ${bytes === undefined ? '-' : (bytes / 1024).toFixed(1)} |`);
    }
  }
}

main();
