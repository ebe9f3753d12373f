import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * DeepSeek. `deepseek-reasoner` streams its chain of thought as `reasoning_content` beside `content` (the Chat
 * decoders read it as reasoning) and rejects `reasoning_content` sent back in input messages (the Chat encoder
 * never sends it). `insufficient_system_resource` ends an answer the server cut short.
 */
export const deepseek: ProviderPreset = {
  id: 'deepseek',
  displayName: 'DeepSeek',
  defaultBaseUrl: 'https://api.deepseek.com/v1',
  auth: BEARER_AUTH,
  capabilities: {
    ...OPENAI_CHAT_RECORDINGS,
    reasoning: ['openai-chat/deepseek-reasoning.sse', 'openai-chat/deepseek-reasoning.json'],
  },
  finishReasons: { insufficient_system_resource: 'length' },
  docs: 'https://api-docs.deepseek.com/ (Your First API Call; Reasoning Model; Create Chat Completion)',
};
