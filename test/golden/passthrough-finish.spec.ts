/**
 * The finish reason a pass-through stream is logged with (spans' `gen_ai.response.finish_reasons`) is the one
 * the translating path reads from the same stream. Every real recording of each protocol goes through its
 * client wire's pass-through inspector the way the relay feeds it (blocks of complete events: the stream as
 * one block, and one block per event), and through the upstream wire's stream decoder; the finish must agree.
 * Gemini's function-call recordings are the case that needs the inspector's state: the call comes in a chunk
 * before the one that says `STOP`.
 */
import { sequentialCodecContext, type IrStreamEvent } from '@gw/ir';
import { anthropicClientWire, anthropicUpstreamWire } from '@gw/protocol-anthropic-messages';
import { geminiClientWire, geminiUpstreamWire } from '@gw/protocol-gemini';
import { openAiChatClientWire, openAiChatUpstreamWire } from '@gw/protocol-openai-chat';
import { openAiResponsesClientWire, openAiResponsesUpstreamWire } from '@gw/protocol-openai-responses';
import { SseParser } from '@gw/sse';
import type { ClientWire, UpstreamWire } from '@gw/wire';
import { readUpstreamRecording, splitRecordedResponses, splitSseEvents } from '../support/recordings';
import { relayStream } from './relay-stream';
import { recordingNames } from './translate-stream';

const PROTOCOLS: { folder: string; client: ClientWire; upstream: UpstreamWire }[] = [
  { folder: 'openai-chat', client: openAiChatClientWire, upstream: openAiChatUpstreamWire },
  { folder: 'openai-responses', client: openAiResponsesClientWire, upstream: openAiResponsesUpstreamWire },
  { folder: 'anthropic', client: anthropicClientWire, upstream: anthropicUpstreamWire },
  { folder: 'gemini', client: geminiClientWire, upstream: geminiUpstreamWire },
];

/** Start of the SSE event holding byte `index` (as the relay finds it). */
function eventStartBefore(block: Buffer, index: number): number {
  const lf = block.lastIndexOf('\n\n', index);
  const crlf = block.lastIndexOf('\r\n\r\n', index);
  return Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
}

/** What the pass-through relay records as finish reasons for a stream arriving in these blocks (its loop, without I/O). */
function passthroughFinishes(client: ClientWire, blocks: Buffer[]): string[] {
  const inspector = client.passthrough.createInspector();
  const finishes: string[] = [];
  let ended = false;
  for (const block of blocks) {
    if (!ended && inspector.completesIn(block)) {
      ended = true;
      const reason = inspector.finishReasonIn(block);
      if (reason !== undefined) finishes.push(reason);
    }
    if (block.includes('data: [DONE]')) ended = true;
    const point = inspector.inspectionPoint(block);
    if (point === -1) continue;
    const parser = new SseParser();
    for (const event of [...parser.push(block.subarray(eventStartBefore(block, point))), ...parser.end()]) {
      const verdict = inspector.inspect(event, false, undefined);
      if (verdict.answer?.finishReason !== undefined) finishes.push(verdict.answer.finishReason);
      if (verdict.terminal) ended = true;
    }
  }
  return finishes;
}

/** The finish the translating path reads from the same events. */
function translatedFinish(upstream: UpstreamWire, raw: string): string | undefined {
  const parser = new SseParser();
  const events = [...parser.push(Buffer.from(raw)), ...parser.end()];
  const none = { push: () => '', end: () => '', fail: () => '' };
  const { ir } = relayStream(events, upstream.createStreamDecoder(sequentialCodecContext(), undefined), none);
  return ir.find((event): event is Extract<IrStreamEvent, { type: 'finish' }> => event.type === 'finish')?.reason;
}

describe('pass-through finish reasons agree with the translated path, on every recording', () => {
  for (const { folder, client, upstream } of PROTOCOLS) {
    for (const name of recordingNames(folder)) {
      // Multi-response recordings (an agent loop) are one stream per response.
      const responses = splitRecordedResponses(splitSseEvents(readUpstreamRecording(`${folder}/${name}`)));
      responses.forEach((events, index) => {
        const label = `${folder}/${name}${responses.length > 1 ? ` #${index}` : ''}`;
        const raw = events.map((event) => event.raw).join('');
        const translated = translatedFinish(upstream, raw);
        if (translated === undefined) {
          it(`${label}: no finish on either path (the stream fails or is cut)`, () => {
            expect(passthroughFinishes(client, [Buffer.from(raw)])).toEqual([]);
          });
          return;
        }
        it(`${label}: ${translated}, whether the stream comes as one block or event by event`, () => {
          expect(passthroughFinishes(client, [Buffer.from(raw)])).toEqual([translated]);
          expect(
            passthroughFinishes(
              client,
              events.map((event) => Buffer.from(event.raw)),
            ),
          ).toEqual([translated]);
        });
      });
    }
  }

  it('the Gemini and Responses function-call recordings are among them, ending in tool_calls', () => {
    const gemini = readUpstreamRecording('gemini/tool-call.sse');
    expect(translatedFinish(geminiUpstreamWire, gemini)).toBe('tool_calls');
    expect(passthroughFinishes(geminiClientWire, [Buffer.from(gemini)])).toEqual(['tool_calls']);
    const loop = splitRecordedResponses(splitSseEvents(readUpstreamRecording('openai-responses/reasoning-encrypted.sse')));
    const finishes = loop.map((events) => passthroughFinishes(openAiResponsesClientWire, [Buffer.from(events.map((e) => e.raw).join(''))]));
    expect(finishes.flat()).toContain('tool_calls');
  });
});
