import { replaceJsonValue, type JsonPath } from './json-span';
import { joinSseEvents, loadRecordedStream, parseEventJson, readUpstreamRecording, withEventData, type SseEvent } from './recordings';

/**
 * Templated replays: a real recording with ONLY the function name and arguments (or only the assistant
 * text) substituted. Every other byte (ids, call ids, timestamps, usage, obfuscation padding, event
 * names, framing, even the recorded `tools` echo in Responses events) is the provider's own.
 *
 * Why: end-to-end tests need the upstream to call a tool the client declared (Codex only runs its own
 * `exec_command` tool) and to answer with a text the test can find unambiguously. Streamed values are
 * re-chunked into exactly as many delta events as the recording had, and every value is written with
 * JSON.stringify, so the escaping is always valid JSON.
 */

export interface ToolCallTemplate {
  name: string;
  /** The arguments JSON string, or an object to be serialised with JSON.stringify. */
  arguments: string | Record<string, unknown>;
}

/** The call Codex makes for a shell command: its declared `exec_command` tool with `{"cmd": ...}`. */
export function codexExecCommand(cmd: string): ToolCallTemplate {
  return { name: 'exec_command', arguments: { cmd } };
}

export const TEMPLATE_SOURCES = {
  chatToolStream: 'openai-chat/tool.sse',
  chatToolJson: 'openai-chat/tool.json',
  chatTextStream: 'openai-chat/text.sse',
  chatTextJson: 'openai-chat/text.json',
  /** Response #1 of this four-step recording is a lone `function_call` (no reasoning item). */
  responsesToolStream: 'openai-responses/reasoning-encrypted.sse',
  responsesToolStreamResponse: 1,
  responsesTextStream: 'openai-responses/stop.sse',
  responsesTextJson: 'openai-responses/stop.json',
  /** A whole `functionCall` part (with its thought signature), then a finishing chunk. */
  geminiToolStream: 'gemini/tool-call.sse',
  geminiTextStream: 'gemini/text.sse',
  geminiTextJson: 'gemini/text.json',
} as const;

/** openai-chat/tool.sse with the function name and the arguments substituted. */
export function chatToolCallSse(call: ToolCallTemplate): string {
  const events = loadRecordedStream(TEMPLATE_SOURCES.chatToolStream);
  return substituteStream(events, argumentsText(call), (json) => chatToolCallSlots(json, call.name));
}

/** openai-chat/tool.json with the function name and the arguments substituted. */
export function chatToolCallJson(call: ToolCallTemplate): string {
  const base = ['choices', 0, 'message', 'tool_calls', 0, 'function'];
  let body = readUpstreamRecording(TEMPLATE_SOURCES.chatToolJson);
  body = replaceJsonValue(body, [...base, 'name'], call.name);
  return replaceJsonValue(body, [...base, 'arguments'], argumentsText(call));
}

/** openai-chat/text.sse with the assistant text substituted (re-chunked over its content deltas). */
export function chatTextSse(text: string): string {
  const events = loadRecordedStream(TEMPLATE_SOURCES.chatTextStream);
  return substituteStream(events, text, (json) => {
    const slots: Slot[] = [];
    forEachChoice(json, (choice, index) => {
      const content = record(record(choice)?.['delta'])?.['content'];
      if (typeof content === 'string' && content !== '') slots.push({ kind: 'delta', path: ['choices', index, 'delta', 'content'] });
    });
    return slots;
  });
}

/** openai-chat/text.json with the assistant text substituted. */
export function chatTextJson(text: string): string {
  return replaceJsonValue(readUpstreamRecording(TEMPLATE_SOURCES.chatTextJson), ['choices', 0, 'message', 'content'], text);
}

/** A recorded Responses `function_call` step with the function name and the arguments substituted. */
export function responsesToolCallSse(call: ToolCallTemplate): string {
  const events = loadRecordedStream(TEMPLATE_SOURCES.responsesToolStream, TEMPLATE_SOURCES.responsesToolStreamResponse);
  return substituteStream(events, argumentsText(call), (json) => {
    const slots: Slot[] = json['type'] === 'response.function_call_arguments.delta' ? [{ kind: 'delta', path: ['delta'] }] : [];
    if (json['type'] === 'response.function_call_arguments.done') slots.push({ kind: 'full', path: ['arguments'] });
    for (const { value, path } of findObjects(json, (candidate) => candidate['type'] === 'function_call')) {
      slots.push({ kind: 'name', path: [...path, 'name'], value: call.name });
      if (value['arguments'] !== '') slots.push({ kind: 'full', path: [...path, 'arguments'] });
    }
    return slots;
  });
}

/** openai-responses/stop.sse with the assistant text substituted (deltas, done events, final response). */
export function responsesTextSse(text: string): string {
  const events = loadRecordedStream(TEMPLATE_SOURCES.responsesTextStream);
  return substituteStream(events, text, (json) => {
    const slots: Slot[] = json['type'] === 'response.output_text.delta' ? [{ kind: 'delta', path: ['delta'] }] : [];
    if (json['type'] === 'response.output_text.done') slots.push({ kind: 'full', path: ['text'] });
    for (const { value, path } of findObjects(json, (candidate) => candidate['type'] === 'output_text')) {
      if (value['text'] !== '') slots.push({ kind: 'full', path: [...path, 'text'] });
    }
    return slots;
  });
}

/** openai-responses/stop.json with the assistant text substituted. */
export function responsesTextJson(text: string): string {
  let body = readUpstreamRecording(TEMPLATE_SOURCES.responsesTextJson);
  const parsed = JSON.parse(body) as Record<string, unknown>;
  for (const { path } of findObjects(parsed, (candidate) => candidate['type'] === 'output_text')) {
    body = replaceJsonValue(body, [...path, 'text'], text);
  }
  return body;
}

/**
 * gemini/tool-call.sse with the function name and the arguments substituted. Gemini sends a call whole, its
 * `args` an object: the arguments must be a JSON object.
 */
export function geminiToolCallSse(call: ToolCallTemplate): string {
  const args = typeof call.arguments === 'string' ? (JSON.parse(call.arguments) as unknown) : call.arguments;
  const events = loadRecordedStream(TEMPLATE_SOURCES.geminiToolStream).map((event) => {
    const json = parseEventJson(event);
    const parts = geminiParts(json);
    let data = event.data;
    if (data === undefined) return event;
    parts.forEach((part, index) => {
      const base = ['candidates', 0, 'content', 'parts', index, 'functionCall'];
      if (record(part['functionCall']) === undefined) return;
      data = replaceJsonValue(replaceJsonValue(data as string, [...base, 'name'], call.name), [...base, 'args'], args);
    });
    return data === event.data ? event : withEventData(event, data);
  });
  if (!events.some((event) => event.data?.includes(JSON.stringify(call.name)))) {
    throw new Error('templated-replay: gemini/tool-call.sse has no functionCall part to template');
  }
  return joinSseEvents(events);
}

/** gemini/text.sse with the answer text substituted (re-chunked over its non-empty text parts; the signature part stays). */
export function geminiTextSse(text: string): string {
  const events = loadRecordedStream(TEMPLATE_SOURCES.geminiTextStream);
  return substituteStream(events, text, (json) =>
    geminiParts(json).flatMap((part, index): Slot[] =>
      typeof part['text'] === 'string' && part['text'] !== ''
        ? [{ kind: 'delta', path: ['candidates', 0, 'content', 'parts', index, 'text'] }]
        : [],
    ),
  );
}

/** gemini/text.json with the answer text substituted. */
export function geminiTextJson(text: string): string {
  return replaceJsonValue(readUpstreamRecording(TEMPLATE_SOURCES.geminiTextJson), ['candidates', 0, 'content', 'parts', 0, 'text'], text);
}

function geminiParts(json: Record<string, unknown> | undefined): Array<Record<string, unknown>> {
  const candidates = json?.['candidates'];
  const content = record(record(Array.isArray(candidates) ? candidates[0] : undefined)?.['content']);
  const parts = content?.['parts'];
  return Array.isArray(parts) ? parts.map((part) => record(part) ?? {}) : [];
}

/** Splits `value` into `count` consecutive pieces by code point (never inside a surrogate pair). */
export function splitIntoPieces(value: string, count: number): string[] {
  const codePoints = Array.from(value);
  const base = Math.floor(codePoints.length / count);
  const remainder = codePoints.length % count;
  const pieces: string[] = [];
  let cursor = 0;
  for (let index = 0; index < count; index += 1) {
    const size = base + (index < remainder ? 1 : 0);
    pieces.push(codePoints.slice(cursor, cursor + size).join(''));
    cursor += size;
  }
  return pieces;
}

/** A place in one event to substitute: a streamed piece, the full value, or a fixed value (a name). */
type Slot = { kind: 'delta' | 'full'; path: JsonPath } | { kind: 'name'; path: JsonPath; value: string };

function substituteStream(events: SseEvent[], fullValue: string, slotsOf: (json: Record<string, unknown>) => Slot[]): string {
  const perEvent = events.map((event) => {
    const json = parseEventJson(event);
    return json ? slotsOf(json) : [];
  });
  const deltaCount = perEvent.flat().filter((slot) => slot.kind === 'delta').length;
  if (deltaCount === 0) throw new Error('templated-replay: the recording has no delta events to re-chunk');
  const pieces = splitIntoPieces(fullValue, deltaCount);
  let pieceIndex = 0;
  const substituted = events.map((event, eventIndex) => {
    const slots = perEvent[eventIndex] ?? [];
    if (slots.length === 0 || event.data === undefined) return event;
    let data = event.data;
    for (const slot of slots) {
      const value = slot.kind === 'name' ? slot.value : slot.kind === 'full' ? fullValue : (pieces[pieceIndex++] ?? '');
      data = replaceJsonValue(data, slot.path, value);
    }
    JSON.parse(data); // the substituted event must still be valid JSON
    return withEventData(event, data);
  });
  return joinSseEvents(substituted);
}

function chatToolCallSlots(json: Record<string, unknown>, name: string): Slot[] {
  const slots: Slot[] = [];
  forEachChoice(json, (choice, choiceIndex) => {
    const toolCalls = record(record(choice)?.['delta'])?.['tool_calls'];
    if (!Array.isArray(toolCalls)) return;
    toolCalls.forEach((toolCall: unknown, callIndex) => {
      if (record(toolCall)?.['index'] !== 0) throw new Error('templated-replay: only single tool-call recordings can be templated');
      const fn = record(record(toolCall)?.['function']);
      const base = ['choices', choiceIndex, 'delta', 'tool_calls', callIndex, 'function'];
      if (typeof fn?.['name'] === 'string') slots.push({ kind: 'name', path: [...base, 'name'], value: name });
      if (typeof fn?.['arguments'] === 'string' && fn['arguments'] !== '') slots.push({ kind: 'delta', path: [...base, 'arguments'] });
    });
  });
  return slots;
}

function forEachChoice(json: Record<string, unknown>, visit: (choice: unknown, index: number) => void): void {
  const choices = json['choices'];
  if (Array.isArray(choices)) choices.forEach(visit);
}

/** Depth-first search for objects matching `predicate`, with their paths. */
function findObjects(
  root: unknown,
  predicate: (candidate: Record<string, unknown>) => boolean,
  path: JsonPath = [],
): Array<{ value: Record<string, unknown>; path: JsonPath }> {
  if (Array.isArray(root)) return root.flatMap((element, index) => findObjects(element, predicate, [...path, index]));
  const object = record(root);
  if (!object) return [];
  const own = predicate(object) ? [{ value: object, path }] : [];
  return [...own, ...Object.entries(object).flatMap(([key, value]) => findObjects(value, predicate, [...path, key]))];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function argumentsText(call: ToolCallTemplate): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}
