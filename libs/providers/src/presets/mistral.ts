import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * Mistral (La Plateforme). Its API refuses fields it does not know with a 422 `extra_forbidden`, among them
 * `stream_options` (usage comes in the last chunk anyway) and `max_completion_tokens` (the Chat encoder sends
 * `max_tokens`). `model_length` ends an answer cut at the model's context length.
 */
export const mistral: ProviderPreset = {
  id: 'mistral',
  displayName: 'Mistral AI',
  defaultBaseUrl: 'https://api.mistral.ai/v1',
  auth: BEARER_AUTH,
  quirks: { rejectsStreamOptions: true },
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: { model_length: 'length' },
  docs: 'https://docs.mistral.ai/api/ (Chat completion: finish_reason stop | length | model_length | error | tool_calls)',
};
