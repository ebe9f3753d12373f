import { readAnthropicStream } from '../anthropic-stream-checks';
import { readGeminiStream } from '../gemini-stream-checks';
import { parseClientSse } from '../translate-stream';

/**
 * Strict framing checks of a whole successful stream, per client protocol, beyond what its decoder needs to
 * accept it: what a strict client (an SDK's accumulator, Claude Code) requires for the stream to close. A
 * protocol without one here is checked by its decoder alone.
 */
export const STRICT_FRAMING: Readonly<Record<string, (out: string) => void>> = {
  'openai-chat': (out) => {
    const events = parseClientSse(out);
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    const chunks = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.data) as { id: string; choices: { finish_reason?: string | null }[] });
    // Exactly one finish, one id for every chunk.
    expect(chunks.flatMap((chunk) => chunk.choices.filter((choice) => choice.finish_reason != null)).length).toBe(1);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  },
  'openai-responses': (out) => {
    const events = parseClientSse(out).map((event) => JSON.parse(event.data) as { type: string; sequence_number: number });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.slice(0, 2).map((event) => event.type)).toEqual(['response.created', 'response.in_progress']);
    expect(['response.completed', 'response.incomplete']).toContain(events[events.length - 1]?.type);
    const added = events.filter((event) => event.type === 'response.output_item.added').length;
    expect(events.filter((event) => event.type === 'response.output_item.done').length).toBe(added);
  },
  'anthropic-messages': (out) => {
    readAnthropicStream(parseClientSse(out));
  },
  gemini: (out) => {
    readGeminiStream(parseClientSse(out));
  },
};
