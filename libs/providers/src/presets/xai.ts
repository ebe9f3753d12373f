import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * xAI (Grok). `grok-3-mini` sends `reasoning_content` like DeepSeek (no xAI recording yet: not declared).
 * Grok 4 reasoning models reject `presence_penalty`, `frequency_penalty`, `stop` and `reasoning_effort`; that
 * is per model, not per vendor, so nothing is dropped here: route such models through a profile that does not
 * send them.
 */
export const xai: ProviderPreset = {
  id: 'xai',
  displayName: 'xAI (Grok)',
  defaultBaseUrl: 'https://api.x.ai/v1',
  auth: BEARER_AUTH,
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://docs.x.ai/docs (API reference; Reasoning)',
};
