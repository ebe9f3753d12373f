/**
 * `gen_ai.provider.name` from a channel's host: the semantic conventions' well-known values for the providers
 * that serve OpenAI's protocols; any other OpenAI-compatible upstream is `openai`, the API it speaks.
 * @see https://opentelemetry.io/docs/specs/semconv/registry/attributes/gen-ai/#gen-ai-provider-name
 */
const PROVIDERS_BY_HOST: ReadonlyArray<[suffix: string, provider: string]> = [
  ['.openai.azure.com', 'azure.ai.openai'],
  ['.services.ai.azure.com', 'azure.ai.inference'],
  ['api.deepseek.com', 'deepseek'],
  ['api.groq.com', 'groq'],
  ['api.mistral.ai', 'mistral_ai'],
  ['api.perplexity.ai', 'perplexity'],
  ['api.x.ai', 'x_ai'],
  ['api.anthropic.com', 'anthropic'],
  ['generativelanguage.googleapis.com', 'gcp.gemini'],
  ['api.openai.com', 'openai'],
];

export interface UpstreamServer {
  provider: string;
  address: string;
  port: number;
}

/** Per channel base URL, parsed once (a handful of channels; a bounded map for the ones that come and go). */
const cache = new Map<string, UpstreamServer>();

export function upstreamServerOf(baseUrl: string): UpstreamServer {
  let server = cache.get(baseUrl);
  if (server === undefined) {
    const url = new URL(baseUrl);
    const host = url.hostname.toLowerCase();
    const provider = PROVIDERS_BY_HOST.find(([suffix]) => host === suffix || host.endsWith(suffix.startsWith('.') ? suffix : `.${suffix}`));
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    server = { provider: provider?.[1] ?? 'openai', address: host, port };
    if (cache.size >= 1_000) cache.clear();
    cache.set(baseUrl, server);
  }
  return server;
}
