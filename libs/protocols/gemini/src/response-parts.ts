import { isJsonObject, stringOrUndefined, type JsonRecord } from '@gw/ir';
import { field } from './provider-data';

/** The parts of the first candidate of one `GenerateContentResponse` (Gemini answers with one candidate unless asked for more). */
export function firstCandidate(body: JsonRecord): { parts: JsonRecord[]; finishReason?: string } {
  const candidates = Array.isArray(body.candidates) ? body.candidates : [];
  const candidate: unknown = candidates[0];
  if (!isJsonObject(candidate)) return { parts: [] };
  const content = isJsonObject(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts.filter(isJsonObject) : [];
  const finishReason = stringOrUndefined(field(candidate, 'finishReason'));
  return finishReason === undefined ? { parts } : { parts, finishReason };
}

/** `promptFeedback.blockReason`: Gemini refused the prompt itself and sent no candidate. */
export function blockReason(body: JsonRecord): string | undefined {
  const feedback = field(body, 'promptFeedback');
  return isJsonObject(feedback) ? stringOrUndefined(field(feedback, 'blockReason')) : undefined;
}
