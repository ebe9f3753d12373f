import { parseClientSse } from './translate-stream';

/**
 * What a Chat or Responses client must see when the upstream failed mid-stream or was cut short, whatever the
 * upstream protocol: Chat ends with an error chunk before `[DONE]` and no tool-call finish; Responses ends
 * with `response.failed`, never `response.completed`.
 */
export function expectOpenAiClientFailure(client: 'chat' | 'responses', out: string): void {
  const events = parseClientSse(out);
  if (client === 'chat') {
    expect(events[events.length - 1]?.data).toBe('[DONE]');
    expect(JSON.parse(events[events.length - 2]?.data ?? '{}')).toHaveProperty('error');
    expect(out).not.toContain('"finish_reason":"tool_calls"');
  } else {
    const types = events.map((event) => (JSON.parse(event.data) as { type: string }).type);
    expect(types[types.length - 1]).toBe('response.failed');
    expect(types).not.toContain('response.completed');
  }
}
