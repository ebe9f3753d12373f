import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * Moonshot AI (Kimi), global endpoint; mainland China is `https://api.moonshot.cn/v1` (set it as `base_url`).
 * Kimi's thinking models send DeepSeek's `reasoning_content`; no recording of theirs yet, so reasoning is not
 * declared here (the decoders read the field whoever sends it).
 */
export const moonshot: ProviderPreset = {
  id: 'moonshot',
  displayName: 'Moonshot AI (Kimi)',
  defaultBaseUrl: 'https://api.moonshot.ai/v1',
  auth: BEARER_AUTH,
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://platform.moonshot.ai/docs (API overview: OpenAI-compatible /v1/chat/completions)',
};
