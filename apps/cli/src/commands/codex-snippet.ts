/** What to paste after creating a key: the env line and the Codex provider block, as the README's "Use it with Codex". */
export function codexSnippet(secret: string, clientBaseUrl: string): string {
  return `  export AXONHUB_API_KEY=${secret}

Codex (~/.codex/config.toml):

  model = "gpt-5"
  model_provider = "axonhub-responses"

  [model_providers.axonhub-responses]
  name = "AxonHub"
  base_url = "${clientBaseUrl}"
  env_key = "AXONHUB_API_KEY"
  wire_api = "responses"
  query_params = {}
`;
}
