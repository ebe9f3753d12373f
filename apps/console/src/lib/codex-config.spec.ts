import { clientBaseUrl, codexConfigToml, exportLine } from './codex-config';

describe('what to paste into Codex', () => {
  it("points Codex's Responses provider at this gateway and leaves the key in the environment", () => {
    const toml = codexConfigToml(clientBaseUrl('http://127.0.0.1:8080/'));
    expect(toml).toBe(
      [
        'model = "gpt-5"',
        'model_provider = "axonhub-responses"',
        '',
        '[model_providers.axonhub-responses]',
        'name = "AxonHub"',
        'base_url = "http://127.0.0.1:8080/v1"',
        'env_key = "AXONHUB_API_KEY"',
        'wire_api = "responses"',
        'query_params = {}',
        '',
      ].join('\n'),
    );
    expect(exportLine('ah-123')).toBe('export AXONHUB_API_KEY=ah-123');
  });
});
