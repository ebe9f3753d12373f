/** What is measured: the cells (request shape × concurrency) and which targets each one applies to. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `traced`: the gateway with tracing on (OTLP/protobuf to a local receiver), for tracing's cost. */
export type TargetName = 'direct' | 'thin' | 'gateway' | 'traced';

export interface Cell {
  id: string;
  label: string;
  connections: number;
  /** Path on the target; the gateway routes by model instead, so it gets `gatewayPath`. */
  path: string;
  gatewayPath: string;
  body: string;
  /** Gateway body when it differs (model name that routes to the slow channel). */
  gatewayBody?: string;
  headers: Record<string, string>;
  expect: string;
  targets: TargetName[];
  /** The slow-upstream cell: its figure is time to first byte, not throughput. */
  ttfb?: boolean;
  /** Rounds at least (BENCH_ROUNDS when more): a cell whose checks compare close figures needs more of them. */
  minRounds?: number;
  /**
   * Its targets loaded at the same time, each with `connections` of its own, instead of one after the other:
   * an A/B of two servers on the same core, whose ratio is then not the machine's drift between two windows.
   */
  together?: boolean;
}

export const API_KEY = 'ah-bench-key';

export function buildCells(fixtures: string): Cell[] {
  const chat = JSON.parse(readFileSync(join(fixtures, 'chat-request.json'), 'utf8')) as Record<string, unknown>;
  const chatBody = JSON.stringify({ ...chat, model: 'gpt-4o' });
  const chatStream = JSON.stringify({ ...chat, model: 'gpt-4o', stream: true });
  const slowStream = JSON.stringify({ ...chat, model: 'gpt-4o-slow', stream: true });
  const responsesSmall = JSON.stringify({
    model: 'gpt-4o',
    instructions: 'You are a helpful assistant. Answer concisely.',
    input: [{ role: 'user', content: [{ type: 'input_text', text: 'Which gateway timeouts should we check first?' }] }],
    stream: true,
  });
  // Codex's real first turn (system prompt, 9 tools, ~40 KB) with the headers Codex sends, minus transport ones.
  const codex = JSON.parse(readFileSync(join(fixtures, 'codex-first-turn.json'), 'utf8')) as {
    headers: Record<string, string>;
    body: Record<string, unknown>;
  };
  const codexHeaders = Object.fromEntries(
    Object.entries(codex.headers).filter(([k]) => !['host', 'content-length', 'authorization'].includes(k.toLowerCase())),
  );
  const json = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  const codexBody = JSON.stringify({ ...codex.body, model: 'gpt-4o' });
  const all: TargetName[] = ['direct', 'thin', 'gateway'];
  const chatPath = '/v1/chat/completions';
  /** The chat request, not streamed: the c=1, c=64 and tracing cells. */
  const chatRequest = { path: chatPath, gatewayPath: chatPath, body: chatBody, headers: json, expect: '"chat.completion"' };
  return [
    {
      id: 'chat-c1',
      label: 'chat→chat non-stream c=1',
      connections: 1,
      ...chatRequest,
      // The tracing gateway too: it reaches chat c=64 as warmed up as the gateway (its code optimized by the
      // same load), or its first round there measures the JIT, not tracing.
      targets: [...all, 'traced'],
    },
    {
      id: 'chat-c64',
      label: 'chat→chat non-stream c=64',
      connections: 64,
      ...chatRequest,
      // The tracing gateway too, one after the other like the rest: its figures here are printed, and it reaches
      // the together cell below as warmed up at c=64 as the gateway.
      targets: [...all, 'traced'],
      // The thin proxy's 70% is compared within a few percent here, and one round differs from the next by up
      // to ±15% on this machine: the median of five holds better than of three.
      minRounds: 5,
    },
    {
      // Tracing's cost (issue 13): the gateway with tracing off and with tracing on, each at c=64, loaded
      // together on the server core. Measured one after the other, two identical gateways read 74–113% of each
      // other round by round on this machine (ADR 0014); loaded together, both get the same seconds of it, and
      // the scheduler shares the core between them, so the ratio of their rates is the ratio of their costs.
      id: 'chat-c64-tracing',
      label: 'chat→chat non-stream c=64, tracing off and on together',
      connections: 64,
      ...chatRequest,
      targets: ['gateway', 'traced'],
      together: true,
      // Two processes of one build differ by a few percent in a round (A/A, ADR 0014): seven rounds' median.
      minRounds: 7,
    },
    {
      id: 'chat-sse-c16',
      label: 'chat→chat stream c=16',
      connections: 16,
      path: chatPath,
      gatewayPath: chatPath,
      body: chatStream,
      headers: json,
      expect: 'data: [DONE]',
      targets: all,
    },
    {
      id: 'ttfb-slow-c8',
      label: 'stream TTFB, upstream 200 ms c=8',
      connections: 8,
      path: '/slow/v1/chat/completions',
      gatewayPath: chatPath,
      body: chatStream,
      gatewayBody: slowStream,
      headers: json,
      expect: 'data: [DONE]',
      targets: all,
      ttfb: true,
    },
    {
      id: 'resp-small-c16',
      label: 'responses→chat stream small c=16',
      connections: 16,
      path: '/v1/responses',
      gatewayPath: '/v1/responses',
      body: responsesSmall,
      headers: json,
      expect: 'response.completed',
      targets: ['gateway'],
    },
    {
      id: 'resp-codex-c16',
      label: 'responses→chat stream codex 40KB c=16',
      connections: 16,
      path: '/v1/responses',
      gatewayPath: '/v1/responses',
      body: codexBody,
      headers: { ...codexHeaders, ...json },
      expect: 'response.completed',
      targets: ['gateway'],
    },
    {
      // ../shared/bench's `codex16` cell, the one issue 14 sets a target on: the thin proxy passes Codex's
      // request through to a Responses upstream, the gateway translates it for a Chat channel; both answers
      // are short (21 Chat events, 12 Responses events), so the request's translation is what is compared.
      id: 'codex16',
      label: 'codex 40KB responses: pass-through (thin) vs →chat (gateway), short stream c=16',
      connections: 16,
      path: '/v1/responses',
      gatewayPath: '/v1/responses',
      body: codexBody,
      gatewayBody: JSON.stringify({ ...codex.body, model: 'gpt-4o-short' }),
      headers: { ...codexHeaders, ...json },
      expect: 'response.completed',
      targets: all,
    },
    {
      // The same request and answer through the gateway to a Responses channel: everything but the
      // translation, so codex16 minus this cell is what translating costs.
      id: 'codex16-pass',
      label: 'codex 40KB responses→responses pass-through, short stream c=16',
      connections: 16,
      path: '/v1/responses',
      gatewayPath: '/v1/responses',
      body: codexBody,
      gatewayBody: JSON.stringify({ ...codex.body, model: 'gpt-4o-responses' }),
      headers: { ...codexHeaders, ...json },
      expect: 'response.completed',
      targets: ['gateway'],
    },
  ];
}
