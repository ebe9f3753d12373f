import { randomBytes } from 'node:crypto';
import type { FakeUpstream } from '../../support/fake-upstream';
import type { GatewayUnderTest, RequestLogRow } from './gateway-under-test';

/** What every scenario gets: the running gateway (one mode) and the fake upstream its channels point at. */
export interface E2eContext {
  gateway: GatewayUnderTest;
  upstream: FakeUpstream;
}

/** Scenarios are registered at collection time and read the context once `beforeAll` has built it. */
export type E2eContextGetter = () => E2eContext;

/** A string no recording contains, to find in what the client receives. */
export function uniqueMarker(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/**
 * Usage of the recordings the fake upstream replays (the provider's own numbers), as the request log
 * must store them.
 */
export const RECORDED_USAGE = {
  chatTextStream: { input: 16, output: 300, total: 316 }, // openai-chat/text.sse
  chatTextJson: { input: 16, output: 363, total: 379 }, // openai-chat/text.json
  chatToolStream: { input: 53, output: 17, total: 70 }, // openai-chat/tool.sse
  responsesTextStream: { input: 16, output: 65, total: 81 }, // openai-responses/stop.sse
  responsesTextJson: { input: 16, output: 63, total: 79 }, // openai-responses/stop.json
  // Gemini's output counts the thoughts too (candidatesTokenCount + thoughtsTokenCount).
  geminiTextStream: { input: 9, output: 208, total: 217 }, // gemini/text.sse, its last chunk
  geminiTextJson: { input: 9, output: 272, total: 281 }, // gemini/text.json
  geminiToolStream: { input: 29, output: 60, total: 89 }, // gemini/tool-call.sse
} as const;

/** The call id in openai-chat/tool.sse (templating substitutes only the name and the arguments). */
export const RECORDED_CHAT_CALL_ID = 'call_ZAluvDS2Cy3QOnYmftmVCAWR';

/** Polls the request log until `count` rows match (rows are written asynchronously, after the answer). */
export async function waitForRequestLogs(
  gateway: GatewayUnderTest,
  where: { conversationKey?: string; requestId?: string },
  count: number,
  timeoutMs = 15_000,
): Promise<RequestLogRow[]> {
  const deadline = Date.now() + timeoutMs;
  let rows = await gateway.requestLogs(where);
  while (rows.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await gateway.requestLogs(where);
  }
  return rows;
}

export function usageColumns(usage: {
  input: number;
  output: number;
  total: number;
}): Pick<RequestLogRow, 'input_tokens' | 'output_tokens' | 'total_tokens'> {
  return { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.total };
}
