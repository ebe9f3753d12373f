/** Frames one SSE event. `data` must be a single line (JSON is). */
export function formatSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** The terminator OpenAI Chat Completions streams end with. */
export const SSE_DONE = 'data: [DONE]\n\n';
