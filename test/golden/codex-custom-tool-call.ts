import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IrStreamEvent } from '@gw/ir';
import { ResponsesStreamEncoder } from '@gw/protocol-openai-responses';
import type { SseEvent } from '@gw/sse';
import { fixturesRoot } from '../support/recordings';
import { goldenContext, parseClientSse, translate } from './translate-stream';

/** A recorded Codex request body (`clients/codex/<file>`). */
export function codexRequestBody(file: string): Record<string, unknown> {
  const recorded = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', 'codex', file), 'utf8')) as { body: Record<string, unknown> };
  return recorded.body;
}

/** A code-mode `exec` input with quotes and a newline: what must reach Codex byte for byte. */
export const EXEC_INPUT = 'const r = await tools.exec_command({cmd: "echo \\"hi\\""});\ntext(r);';

/**
 * An upstream stream in which the model calls `functions__exec`, through the upstream's decoder into the
 * Responses encoder: Codex must get one `custom_tool_call` in the `functions` namespace with the raw input,
 * streamed as `custom_tool_call_input` deltas, and the response completed.
 */
export function expectExecReachesCodexAsCustomToolCall(
  upstreamEvents: SseEvent[],
  decoder: { push(event: SseEvent): IrStreamEvent[]; end(): IrStreamEvent[] },
  callId: string,
): Array<Record<string, unknown> & { type: string }> {
  const out = translate(upstreamEvents, decoder, new ResponsesStreamEncoder(goldenContext(), { model: 'gpt-5.6-terra' }));
  const events = parseClientSse(out).map((event) => JSON.parse(event.data) as Record<string, unknown> & { type: string });
  const done = events.find((event) => event.type === 'response.output_item.done') as { item: Record<string, unknown> } | undefined;
  expect(done?.item).toMatchObject({
    type: 'custom_tool_call',
    call_id: callId,
    name: 'exec',
    namespace: 'functions',
    input: EXEC_INPUT,
    status: 'completed',
  });
  const deltas = events.filter((event) => event.type === 'response.custom_tool_call_input.delta').map((event) => event.delta);
  expect(deltas.join('')).toBe(EXEC_INPUT);
  expect(events.some((event) => event.type === 'response.function_call_arguments.delta')).toBe(false);
  const completed = events.at(-1) as { type: string; response: { output: Record<string, unknown>[] } };
  expect(completed.type).toBe('response.completed');
  expect(completed.response.output).toEqual([done?.item]);
  return events;
}
