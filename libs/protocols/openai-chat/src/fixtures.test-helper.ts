import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sequentialCodecContext } from '@gw/ir';
import type { IrStreamEvent, ToolNameMap } from '@gw/ir';
import { SseParser } from '@gw/sse';
import { fixturesRoot } from '../../../../test/support/recordings';
import { ChatStreamDecoder } from './stream-decoder';

export { fixturesRoot };

export function chatFixtureNames(extension: '.sse' | '.json'): string[] {
  return readdirSync(join(fixturesRoot(), 'upstream', 'openai-chat'))
    .filter((name) => name.endsWith(extension))
    .sort();
}

export function readChatFixture(name: string): string {
  return readFileSync(join(fixturesRoot(), 'upstream', 'openai-chat', name), 'utf8');
}

/** One recorded client request from `clients/sdk-requests.jsonl`. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export function readSdkRequests(): RecordedRequest[] {
  return readFileSync(join(fixturesRoot(), 'clients', 'sdk-requests.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedRequest);
}

/** SSE text → `data:` payloads, through the gateway's own parser. */
export function ssePayloads(text: string): string[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((event) => event.data);
}

export function decodeChatStream(text: string, toolNames?: ToolNameMap): IrStreamEvent[] {
  const decoder = new ChatStreamDecoder(sequentialCodecContext(), toolNames);
  return [...ssePayloads(text).flatMap((data) => decoder.push({ data })), ...decoder.end()];
}

/** What a stream says, folded: the values a client would end up with. */
export interface StreamSummary {
  start: Extract<IrStreamEvent, { type: 'start' }>[];
  text: string;
  reasoning: string;
  refusal: string;
  toolCalls: Array<{ index: number; callId: string; name: string; namespace?: string; arguments: string }>;
  usage: Extract<IrStreamEvent, { type: 'usage' }>['usage'][];
  finish: string[];
}

export function summarizeStream(events: IrStreamEvent[]): StreamSummary {
  const summary: StreamSummary = { start: [], text: '', reasoning: '', refusal: '', toolCalls: [], usage: [], finish: [] };
  for (const event of events) {
    switch (event.type) {
      case 'start':
        summary.start.push(event);
        break;
      case 'text_delta':
        summary.text += event.text;
        break;
      case 'reasoning_delta':
        summary.reasoning += event.text;
        break;
      case 'refusal_delta':
        summary.refusal += event.text;
        break;
      case 'tool_call_start':
        summary.toolCalls.push({
          index: event.index,
          callId: event.callId,
          name: event.name,
          ...(event.namespace === undefined ? {} : { namespace: event.namespace }),
          arguments: '',
        });
        break;
      case 'tool_call_delta': {
        const call = summary.toolCalls.find((candidate) => candidate.index === event.index);
        if (call === undefined) throw new Error(`tool_call_delta for index ${event.index} before its tool_call_start`);
        call.arguments += event.argumentsDelta;
        break;
      }
      case 'usage':
        summary.usage.push(event.usage);
        break;
      case 'finish':
        summary.finish.push(event.reason);
        break;
      case 'reasoning_item':
        break;
    }
  }
  return summary;
}
