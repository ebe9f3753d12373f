import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/** Together AI. Model names are `<org>/<model>` (`meta-llama/Llama-3.3-70B-Instruct-Turbo`). */
export const together: ProviderPreset = {
  id: 'together',
  displayName: 'Together AI',
  defaultBaseUrl: 'https://api.together.xyz/v1',
  auth: BEARER_AUTH,
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://docs.together.ai/docs/openai-api-compatibility',
};
