/**
 * One conversation turn as a person reads it, from the bodies the gateway captured for one request (ADR 0011:
 * as the client sent and received them). Codex sends the whole history every time, so a turn's prompt is what
 * is new at the end of its input: the user's words and the tool results since the model last spoke. The
 * answer is the model's output: text, tool calls, reasoning summary. Responses and Chat Completions bodies,
 * streamed (SSE) or whole.
 */

export type TurnPart =
  | { kind: 'text'; role: string; text: string }
  | { kind: 'tool_call'; name: string; arguments: string; call_id: string | null }
  | { kind: 'tool_result'; call_id: string | null; output: string }
  | { kind: 'reasoning'; text: string };

export interface TurnContent {
  prompt: TurnPart[];
  answer: TurnPart[];
}

type Json = Record<string, unknown>;

const CLIENT_CONTEXT = /^\s*<(environment_context|user_instructions|user_shell_command)>/;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

export function turnContent(requestBody: string, responseBody: string): TurnContent {
  return { prompt: promptParts(parseJson(requestBody)), answer: answerParts(responseBody) };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The trailing items of the input after the model's last word (its last message or tool call). */
function promptParts(request: unknown): TurnPart[] {
  if (!isObject(request)) return [];
  if (typeof request.input === 'string') return [{ kind: 'text', role: 'user', text: request.input }];
  const items = Array.isArray(request.input) ? request.input : Array.isArray(request.messages) ? request.messages : [];
  const parts = items.map(inputItemParts);
  let start = parts.length;
  while (start > 0 && !parts[start - 1]!.fromModel) start--;
  return parts.slice(start).flatMap((item) => item.parts);
}

function inputItemParts(item: unknown): { fromModel: boolean; parts: TurnPart[] } {
  if (!isObject(item)) return { fromModel: false, parts: [] };
  const type = item.type ?? 'message';
  if (type === 'function_call' || type === 'custom_tool_call' || type === 'reasoning') return { fromModel: true, parts: [] };
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    return { fromModel: false, parts: [{ kind: 'tool_result', call_id: callId(item), output: outputText(item.output) }] };
  }
  let role = typeof item.role === 'string' ? item.role : 'user';
  if (role === 'assistant') return { fromModel: true, parts: [] };
  if (role === 'tool')
    return { fromModel: false, parts: [{ kind: 'tool_result', call_id: callId(item), output: contentText(item.content) }] };
  const words = contentText(item.content);
  // What a client adds on the user's behalf (Codex: <environment_context>, <user_instructions>) is context, not the prompt.
  if (role === 'user' && CLIENT_CONTEXT.test(words)) role = 'context';
  return { fromModel: false, parts: words === '' ? [] : [{ kind: 'text', role, text: words }] };
}

function callId(item: Json): string | null {
  const id = item.call_id ?? item.tool_call_id ?? item.id;
  return typeof id === 'string' ? id : null;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((part) => part !== '')
    .join('\n');
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return contentText(output);
  return text(output);
}

/** The answer: a whole JSON body, or the events of a stream folded into the same parts. */
function answerParts(body: string): TurnPart[] {
  const whole = parseJson(body);
  if (isObject(whole)) {
    if (Array.isArray(whole.output)) return responsesOutputParts(whole.output);
    if (Array.isArray(whole.choices)) return chatMessageParts(whole.choices);
    return [];
  }
  const events = sseData(body);
  const completed = events.find((event) => event.type === 'response.completed' || event.type === 'response.incomplete');
  if (isObject(completed?.response) && Array.isArray(completed.response.output)) return responsesOutputParts(completed.response.output);
  const done = events.filter((event) => event.type === 'response.output_item.done').map((event) => event.item);
  if (done.length > 0) return responsesOutputParts(done);
  return chatStreamParts(events);
}

function sseData(body: string): Json[] {
  const events: Json[] = [];
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const event = parseJson(line.slice(5).trim());
    if (isObject(event)) events.push(event);
  }
  return events;
}

function responsesOutputParts(output: unknown[]): TurnPart[] {
  const parts: TurnPart[] = [];
  for (const item of output) {
    if (!isObject(item)) continue;
    if (item.type === 'reasoning') {
      const summary = Array.isArray(item.summary) ? contentText(item.summary) : '';
      if (summary !== '') parts.push({ kind: 'reasoning', text: summary });
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      parts.push({ kind: 'tool_call', name: text(item.name), arguments: text(item.arguments ?? item.input), call_id: callId(item) });
    } else if (item.type === 'message') {
      const words = contentText(item.content);
      if (words !== '') parts.push({ kind: 'text', role: 'assistant', text: words });
    }
  }
  return parts;
}

function chatMessageParts(choices: unknown[]): TurnPart[] {
  const message = isObject(choices[0]) && isObject(choices[0].message) ? choices[0].message : {};
  const parts: TurnPart[] = [];
  const reasoning = message.reasoning_content ?? message.reasoning;
  if (typeof reasoning === 'string' && reasoning !== '') parts.push({ kind: 'reasoning', text: reasoning });
  const words = contentText(message.content);
  if (words !== '') parts.push({ kind: 'text', role: 'assistant', text: words });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isObject(call)) continue;
    const fn = isObject(call.function) ? call.function : {};
    parts.push({ kind: 'tool_call', name: text(fn.name), arguments: text(fn.arguments), call_id: callId(call) });
  }
  return parts;
}

function chatStreamParts(events: Json[]): TurnPart[] {
  let reasoning = '';
  let words = '';
  const calls = new Map<number, { name: string; arguments: string; call_id: string | null }>();
  for (const event of events) {
    const choice = Array.isArray(event.choices) && isObject(event.choices[0]) ? event.choices[0] : undefined;
    const delta = isObject(choice?.delta) ? choice.delta : undefined;
    if (delta === undefined) continue;
    if (typeof delta.reasoning_content === 'string') reasoning += delta.reasoning_content;
    if (typeof delta.content === 'string') words += delta.content;
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      if (!isObject(call)) continue;
      const index = typeof call.index === 'number' ? call.index : 0;
      const entry = calls.get(index) ?? { name: '', arguments: '', call_id: null };
      const fn = isObject(call.function) ? call.function : {};
      if (typeof call.id === 'string') entry.call_id = call.id;
      if (typeof fn.name === 'string') entry.name += fn.name;
      if (typeof fn.arguments === 'string') entry.arguments += fn.arguments;
      calls.set(index, entry);
    }
  }
  const parts: TurnPart[] = [];
  if (reasoning !== '') parts.push({ kind: 'reasoning', text: reasoning });
  if (words !== '') parts.push({ kind: 'text', role: 'assistant', text: words });
  for (const call of calls.values()) parts.push({ kind: 'tool_call', ...call });
  return parts;
}
