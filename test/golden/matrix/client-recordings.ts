import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesRoot } from '../../support/recordings';

/** A real client request from `<fixtures>/clients/**`, with the client protocol that served its path. */
export interface ClientRecording {
  /** For test names and pinned files, e.g. `codex/first-turn`, `sdk-requests/34`. */
  name: string;
  protocol: string;
  body: unknown;
  stream: boolean;
}

/** The request paths of the recorded clients and the client protocol (wire name) that serves each. */
const PROTOCOL_BY_PATH: Readonly<Record<string, string>> = {
  '/v1/chat/completions': 'openai-chat',
  '/v1/responses': 'openai-responses',
  '/v1/messages': 'anthropic-messages',
};

function protocolOf(path: string, source: string): string {
  const protocol = PROTOCOL_BY_PATH[path];
  if (protocol === undefined) throw new Error(`matrix: no client protocol for ${path} (${source}); add it to PROTOCOL_BY_PATH`);
  return protocol;
}

function recording(name: string, file: string, fallbackPath: string): ClientRecording {
  const json = JSON.parse(readFileSync(join(fixturesRoot(), 'clients', file), 'utf8')) as { path?: string; body?: unknown };
  // Some recordings are the body alone, others the whole request (method, path, headers, body).
  const body = json.body !== undefined && json.path !== undefined ? json.body : json;
  const path = (json.path ?? fallbackPath).split('?')[0] ?? fallbackPath;
  return { name, protocol: protocolOf(path, file), body, stream: (body as { stream?: unknown }).stream === true };
}

/** Every POST request under `<fixtures>/clients/**` (the SDK capture's GETs carry no body). */
export function clientRecordings(): ClientRecording[] {
  const sdk = readFileSync(join(fixturesRoot(), 'clients', 'sdk-requests.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { seq: number; method: string; path: string; body?: unknown })
    .filter((request) => request.method === 'POST')
    .map((request): ClientRecording => ({
      name: `sdk-requests/${request.seq}`,
      protocol: protocolOf(request.path, `sdk-requests.jsonl #${request.seq}`),
      body: request.body,
      stream: (request.body as { stream?: unknown }).stream === true,
    }));
  return [
    recording('claude-code/messages-1', 'claude-code/messages-1.request.json', '/v1/messages'),
    recording('claude-code/messages-current', 'claude-code/messages-current.request.json', '/v1/messages'),
    recording('codex/first-turn', 'codex/first-turn.json', '/v1/responses'),
    recording('codex/tool-followup', 'codex/tool-followup.json', '/v1/responses'),
    recording('codex/additional-tools-first-turn', 'codex/additional-tools-first-turn.json', '/v1/responses'),
    ...sdk,
  ];
}
