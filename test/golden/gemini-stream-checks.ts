/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument -- recorded wire JSON is read loosely, the way a client reads it */
import type { SseEvent } from '@gw/sse';

/** A Gemini client's view of a stream (what `@google/genai` accumulates), after checking the framing. */
export interface GeminiStreamSummary {
  text: string;
  thoughts: string;
  signatures: string[];
  calls: { name: string; args: unknown }[];
  finishReason?: string;
  usage?: Record<string, number>;
  modelVersions: string[];
  responseIds: string[];
  error?: { code: number; message: string; status: string };
}

/**
 * Reads a Gemini SSE stream strictly and throws on any framing fault: data-only events, each a whole
 * `GenerateContentResponse` with one candidate, nothing after the chunk with `finishReason` (which must be the
 * last), function calls whole with `args` an object — or, for a failure, the error envelope last and no finish.
 */
export function readGeminiStream(events: SseEvent[]): GeminiStreamSummary {
  const summary: GeminiStreamSummary = { text: '', thoughts: '', signatures: [], calls: [], modelVersions: [], responseIds: [] };
  const fault = (message: string): never => {
    throw new Error(`malformed Gemini stream: ${message}`);
  };
  events.forEach((event, position) => {
    if (event.event !== undefined) fault(`an 'event: ${event.event}' line (Gemini streams are data-only)`);
    if (summary.finishReason !== undefined || summary.error !== undefined) fault('an event after the last one');
    const data = JSON.parse(event.data) as Record<string, any>;
    if (data.error !== undefined) {
      if (position !== events.length - 1) fault('an error that is not the last event');
      const { code, message, status } = data.error;
      if (typeof code !== 'number' || typeof message !== 'string' || typeof status !== 'string')
        fault('an error envelope without code, message and status');
      summary.error = { code, message, status };
      return;
    }
    if (!Array.isArray(data.candidates) || data.candidates.length !== 1) fault('a chunk without exactly one candidate');
    summary.modelVersions.push(data.modelVersion);
    summary.responseIds.push(data.responseId);
    const candidate = data.candidates[0];
    if (candidate.content?.role !== 'model') fault("a candidate whose content role is not 'model'");
    for (const part of candidate.content.parts as Record<string, any>[]) {
      if (typeof part.thoughtSignature === 'string') summary.signatures.push(part.thoughtSignature);
      if (part.functionCall !== undefined) {
        const args = part.functionCall.args;
        if (typeof args !== 'object' || args === null || Array.isArray(args)) fault('a function call whose args are not an object');
        summary.calls.push({ name: part.functionCall.name, args });
      } else if (part.thought === true) summary.thoughts += part.text ?? '';
      else summary.text += part.text ?? '';
    }
    if (data.usageMetadata !== undefined) summary.usage = data.usageMetadata;
    if (candidate.finishReason !== undefined) summary.finishReason = candidate.finishReason;
  });
  if (summary.finishReason === undefined && summary.error === undefined) fault('neither a finishReason nor an error at the end');
  return summary;
}
