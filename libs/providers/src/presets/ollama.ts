import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * Ollama's OpenAI-compatible endpoint on the local server. It ignores the credential (its docs use `ollama`),
 * but a channel still needs a non-empty `api_key`; Ollama's cloud (`https://ollama.com/v1`) checks it.
 */
export const ollama: ProviderPreset = {
  id: 'ollama',
  displayName: 'Ollama',
  defaultBaseUrl: 'http://localhost:11434/v1',
  auth: BEARER_AUTH,
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://docs.ollama.com/api/openai-compatibility',
};
