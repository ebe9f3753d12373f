import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/** Groq. Its OpenAI compatibility page lists fields that are a 400 when supplied. */
export const groq: ProviderPreset = {
  id: 'groq',
  displayName: 'Groq',
  defaultBaseUrl: 'https://api.groq.com/openai/v1',
  auth: BEARER_AUTH,
  quirks: { rejectedParameters: ['logprobs', 'logit_bias', 'top_logprobs'] },
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://console.groq.com/docs/openai (Currently Unsupported OpenAI Features)',
};
