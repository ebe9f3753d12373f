import { BEARER_AUTH, OPENAI_CHAT_RECORDINGS, type ProviderPreset } from '../preset';

/**
 * vLLM's OpenAI-compatible server (`vllm serve`, default port 8000). It checks the Bearer key only when started
 * with `--api-key`. With a `--reasoning-parser`, reasoning arrives as `reasoning` (older versions:
 * `reasoning_content`); both are read, but no vLLM recording exists yet, so reasoning is not declared.
 */
export const vllm: ProviderPreset = {
  id: 'vllm',
  displayName: 'vLLM',
  defaultBaseUrl: 'http://localhost:8000/v1',
  auth: BEARER_AUTH,
  capabilities: OPENAI_CHAT_RECORDINGS,
  finishReasons: {},
  docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html; features/reasoning_outputs',
};
