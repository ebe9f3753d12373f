import { clientWires } from '@gw/protocol-registry';
import { ClientRoutes } from './client-routes';

describe('ClientRoutes over the registry', () => {
  const routes = new ClientRoutes(clientWires);

  it('finds the exact paths of the OpenAI protocols first', () => {
    expect(routes.match('/v1/chat/completions')?.wire.name).toBe('openai-chat');
    expect(routes.match('/v1/responses')?.wire.name).toBe('openai-responses');
  });

  it("hands the query to the patterns: Gemini's stream is served only with alt=sse", () => {
    const streamed = routes.match('/v1beta/models/gemini-2.5-flash:streamGenerateContent', 'alt=sse');
    expect(streamed?.wire.name).toBe('gemini');
    expect(streamed?.route).toEqual({ endpoint: '/v1beta/models/{model}:streamGenerateContent', model: 'gemini-2.5-flash', stream: true });
    // Matched, but refused (answered in Gemini's envelope once the key is known): no model, no stream flag.
    const refused = routes.match('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(refused?.wire.name).toBe('gemini');
    expect(refused?.route.model).toBeUndefined();
  });

  it('leaves every other path to Fastify', () => {
    for (const path of ['/v1/models', '/v1beta/models', '/healthz', '/v1/chat/completions/x']) {
      expect(routes.match(path)).toBeUndefined();
    }
  });
});
