/** What to paste after creating a key (the README's "Use it with Codex", and the CLI's `keys create`). */

export const CODEX_KEY_ENV = 'AXONHUB_API_KEY';

export function exportLine(secret: string): string {
  return `export ${CODEX_KEY_ENV}=${secret}`;
}

/** `~/.codex/config.toml` pointed at this gateway; the key itself stays in the environment, not the file. */
export function codexConfigToml(clientBaseUrl: string, model = 'gpt-5'): string {
  return [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "axonhub-responses"',
    '',
    '[model_providers.axonhub-responses]',
    'name = "AxonHub"',
    `base_url = ${JSON.stringify(clientBaseUrl)}`,
    `env_key = "${CODEX_KEY_ENV}"`,
    'wire_api = "responses"',
    'query_params = {}',
    '',
  ].join('\n');
}

/** The clients' base URL of the gateway that serves this console (same origin, `/v1`). */
export function clientBaseUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/v1`;
}
