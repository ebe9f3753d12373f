import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SseEvent } from '@gw/sse';
import { fixturesRoot, joinSseEvents, loadRecordedStream } from '../../support/recordings';
import { sseEventsInChunks } from '../translate-stream';

/**
 * Where each channel type's recordings live under `<fixtures>/upstream/`. A channel type missing here has no
 * recordings at all: the matrix lists every scenario of it as missing, and fails on the required ones.
 */
export const FIXTURE_DIRS: Readonly<Record<string, string>> = {
  openai: 'openai-chat',
  'openai-responses': 'openai-responses',
  anthropic: 'anthropic',
  gemini: 'gemini',
};

/** One recorded answer: a file under the channel type's folder, and which response of a multi-response stream. */
export interface Recording {
  file: string;
  response?: number;
}

export interface AnswerScenario {
  id: string;
  /** Every listed channel type must have a streamed recording of it (issue 14: text, tools, reasoning). */
  requiredStream?: boolean;
  /** Every listed channel type must have a whole-answer recording of it. */
  requiredWhole?: boolean;
  /** The upstream failed mid-stream: every client must see its protocol's in-stream failure. */
  failure?: boolean;
  /** By fixtures folder. */
  stream: Readonly<Record<string, Recording>>;
  whole?: Readonly<Record<string, Recording>>;
}

/**
 * The shared scenarios of the matrix and the recordings that play them for each upstream protocol. Every file
 * under `<fixtures>/upstream/**` belongs to one scenario (checked): a new recording joins the matrix here.
 */
export const ANSWER_SCENARIOS: readonly AnswerScenario[] = [
  {
    id: 'text',
    requiredStream: true,
    requiredWhole: true,
    stream: {
      'openai-chat': { file: 'text.sse' },
      'openai-responses': { file: 'stop.sse' },
      anthropic: { file: 'text.sse' },
      gemini: { file: 'text.sse' },
    },
    whole: {
      'openai-chat': { file: 'text.json' },
      'openai-responses': { file: 'stop.json' },
      anthropic: { file: 'text.json' },
      gemini: { file: 'text.json' },
    },
  },
  // OpenRouter's stream (gen- ids, native_finish_reason) and Azure's (content-filter chunks, an empty first chunk).
  { id: 'text-openrouter', stream: { 'openai-chat': { file: 'stop.sse' } } },
  { id: 'text-azure-filter-results', stream: { 'openai-chat': { file: 'azure-model-router.sse' } } },
  // Usage in parts: input tokens again in `message_delta`, merged, not overwritten.
  { id: 'usage-in-parts', stream: { anthropic: { file: 'message-delta-input-tokens.sse' } } },
  {
    id: 'tool',
    requiredStream: true,
    stream: {
      'openai-chat': { file: 'tool.sse' },
      'openai-responses': { file: 'reasoning-encrypted.sse', response: 1 },
      anthropic: { file: 'tool.sse' },
      gemini: { file: 'tool-call.sse' },
    },
    whole: { 'openai-chat': { file: 'tool.json' } },
  },
  { id: 'parallel-tools', stream: { 'openai-chat': { file: 'parallel-tools.sse' }, anthropic: { file: 'parallel-tools.sse' } } },
  { id: 'tool-no-arguments', stream: { anthropic: { file: 'tool-no-args.sse' } } },
  { id: 'tool-arguments-streamed', stream: { gemini: { file: 'tool-call-arguments.sse' } } },
  { id: 'freeform-tool', stream: { 'openai-responses': { file: 'custom-tool.sse' } } },
  { id: 'builtin-tool', stream: { 'openai-responses': { file: 'shell-tool.sse', response: 0 } } },
  {
    id: 'reasoning',
    requiredStream: true,
    stream: {
      'openai-chat': { file: 'deepseek-reasoning.sse' },
      'openai-responses': { file: 'reasoning-encrypted.sse', response: 0 },
      anthropic: { file: 'thinking.sse' },
      gemini: { file: 'reasoning.sse' },
    },
    whole: { 'openai-chat': { file: 'deepseek-reasoning.json' }, 'openai-responses': { file: 'reasoning-encrypted.json' } },
  },
  { id: 'json-output', stream: { anthropic: { file: 'json-tool.sse' } } },
  { id: 'refusal', stream: { anthropic: { file: 'refusal.sse' } } },
  // The provider's `event: error` dialect, as recorded.
  { id: 'error-event', failure: true, stream: { 'openai-responses': { file: 'error.sse' }, anthropic: { file: 'error.sse' } } },
];

export function recordingPath(folder: string, recording: Recording): string {
  return `${folder}/${recording.file}${recording.response === undefined ? '' : `#${recording.response}`}`;
}

/** The recorded stream as the gateway receives it: parsed into SSE events from chunks cut in odd places. */
export function recordedStream(folder: string, recording: Recording): SseEvent[] {
  return sseEventsInChunks(Buffer.from(joinSseEvents(loadRecordedStream(`${folder}/${recording.file}`, recording.response))));
}

export function recordedBody(folder: string, recording: Recording): unknown {
  return JSON.parse(readFileSync(join(fixturesRoot(), 'upstream', folder, recording.file), 'utf8'));
}

/** Every recording file under `<fixtures>/upstream/`, as `folder/file`. */
export function allUpstreamRecordings(): string[] {
  const root = join(fixturesRoot(), 'upstream');
  return readdirSync(root).flatMap((folder) => readdirSync(join(root, folder)).map((file) => `${folder}/${file}`));
}
