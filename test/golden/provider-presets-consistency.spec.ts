/**
 * Every OpenAI-compatible preset (`@gw/providers`) is backed by recordings: each capability it declares is
 * replayed from the recordings it names through the Chat decoders and must show that capability, and every
 * finish reason in them — and every vendor finish reason the preset documents — must become what the preset
 * says in the IR. A preset that claims what no recording shows, or a codec that disagrees with a preset, fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IrFinishReason, IrResponse, IrStreamEvent } from '@gw/ir';
import { ChatStreamDecoder, chatFinishReasonToIr, decodeChatResponse } from '@gw/protocol-openai-chat';
import { PROVIDER_PRESETS, type PresetCapability, type ProviderPreset } from '@gw/providers';
import { fixturesRoot } from '../support/recordings';
import { goldenContext, recordedEvents } from './translate-stream';

/** Chat's own finish reasons (OpenAI's documented set and the pre-tools name), and what each is in the IR. */
const CHAT_FINISH_REASONS: Record<string, IrFinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

/** What a recording shows, folded from the IR the Chat decoders make of it. */
interface Shown {
  text: string;
  reasoning: string;
  toolCalls: number;
  finishReasons: string[];
}

function replay(recording: string): Shown {
  const path = join(fixturesRoot(), 'upstream', recording);
  if (!existsSync(path)) throw new Error(`no recording ${recording}`);
  const raw = readFileSync(path, 'utf8');
  // The vendor's own words for why it stopped, read from the bytes (the IR holds them mapped).
  const finishReasons = [...raw.matchAll(/"finish_reason":\s*"([^"]+)"/g)].map((match) => match[1]!);
  if (recording.endsWith('.json')) return { ...fromResponse(decodeChatResponse(JSON.parse(raw))), finishReasons };
  const decoder = new ChatStreamDecoder(goldenContext(), undefined);
  const events: IrStreamEvent[] = [...recordedEvents(recording).flatMap((event) => decoder.push(event)), ...decoder.end()];
  expect(decoder.complete).toBe(true);
  return { ...fromStream(events), finishReasons };
}

function fromStream(events: IrStreamEvent[]): Omit<Shown, 'finishReasons'> {
  const shown = { text: '', reasoning: '', toolCalls: 0 };
  for (const event of events) {
    if (event.type === 'text_delta') shown.text += event.text;
    else if (event.type === 'reasoning_delta') shown.reasoning += event.text;
    else if (event.type === 'tool_call_start') shown.toolCalls++;
  }
  return shown;
}

function fromResponse(response: IrResponse): Omit<Shown, 'finishReasons'> {
  const shown = { text: '', reasoning: '', toolCalls: 0 };
  for (const item of response.output) {
    if (item.kind === 'message') shown.text += item.content.map((part) => ('text' in part ? part.text : '')).join('');
    else if (item.kind === 'reasoning') shown.reasoning += item.text ?? '';
    else if (item.kind === 'tool_call') shown.toolCalls++;
  }
  return shown;
}

const SHOWS: Record<PresetCapability, (shown: Shown) => boolean> = {
  text: (shown) => shown.text.length > 0,
  tools: (shown) => shown.toolCalls >= 1,
  parallel_tools: (shown) => shown.toolCalls >= 2,
  reasoning: (shown) => shown.reasoning.length > 0,
};

const declared = (preset: ProviderPreset): [PresetCapability, string][] =>
  Object.entries(preset.capabilities).flatMap(([capability, recordings]) =>
    (recordings ?? []).map((recording): [PresetCapability, string] => [capability as PresetCapability, recording]),
  );

describe.each(PROVIDER_PRESETS.map((preset) => [preset.id, preset] as const))('preset %s', (_id, preset) => {
  it('declares text at least, each capability backed by at least one recording', () => {
    expect(preset.capabilities.text?.length ?? 0).toBeGreaterThan(0);
    for (const recordings of Object.values(preset.capabilities)) expect(recordings?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(declared(preset))('%s: %s shows it', (capability, recording) => {
    expect(SHOWS[capability](replay(recording))).toBe(true);
  });

  it('maps every finish reason of its recordings, and every vendor reason it documents, as it says', () => {
    const expected: Record<string, IrFinishReason> = { ...CHAT_FINISH_REASONS, ...preset.finishReasons };
    const seen = new Set(declared(preset).flatMap(([, recording]) => replay(recording).finishReasons));
    expect(seen.size).toBeGreaterThan(0);
    for (const reason of [...seen, ...Object.keys(preset.finishReasons)]) {
      expect([reason, expected[reason]]).toEqual([reason, chatFinishReasonToIr(reason)]);
    }
  });
});

