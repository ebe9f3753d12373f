import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * OpenRouter. Optional attribution headers `HTTP-Referer` (your site) and `X-Title` (your app's name) go in the
 * channel's `headers`. Reasoning arrives as `reasoning` in deltas and messages (the Chat decoders read it when
 * `reasoning_content` is absent); no OpenRouter recording yet, so reasoning is not declared. `error` as a
 * finish reason comes with an `error` object in the chunk, which fails the stream; the reason itself reads as
 * `stop`.
 */
export const openrouter: ProviderPreset = {
  id: 'openrouter',
  displayName: 'OpenRouter',
  defaultBaseUrl: 'https://openrouter.ai/api/v1',
  auth: BEARER_AUTH,
  suggestedHeaders: ['HTTP-Referer', 'X-Title'],
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: { error: 'stop' },
  docs: 'https://openrouter.ai/docs (Quickstart: attribution headers; Reasoning tokens; API reference: finish reasons)',
};
