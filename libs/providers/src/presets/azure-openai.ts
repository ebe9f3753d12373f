import type { ProviderPreset } from '../preset';

/**
 * Azure OpenAI, deployment URLs: `base_url` is the resource endpoint (`https://<resource>.openai.azure.com`),
 * the model in the path is the deployment name (map model names to deployments with the channel's
 * `model_map`), `api-version` is a query parameter (put `?api-version=...` on `base_url` to pick another) and
 * the key goes in `api-key`, not `Authorization`. Streams open with a chunk of `prompt_filter_results` and no
 * choices; `content_filter` is Chat's own finish reason.
 */
export const azureOpenai: ProviderPreset = {
  id: 'azure-openai',
  displayName: 'Azure OpenAI',
  defaultBaseUrl: null,
  auth: { header: 'api-key', scheme: '' },
  pathTemplate: '/openai/deployments/{model}/chat/completions',
  defaultQuery: { 'api-version': '2024-10-21' },
  capabilities: { text: ['openai-chat/azure-model-router.sse'] },
  finishReasons: {},
  docs: 'https://learn.microsoft.com/azure/ai-services/openai/reference (Chat completions; latest GA data-plane inference version 2024-10-21)',
};
