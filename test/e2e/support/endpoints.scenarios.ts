import OpenAI from 'openai';
import type { E2eContextGetter } from './e2e-context';
import { MODELS } from './gateway-under-test';
import { httpCall } from './http-client';

/** What the bootstrap key lists (its profile's names and the channels' models), in the gateway's order. */
export const LISTED_MODEL_IDS: readonly string[] = [
  MODELS.chatUpstream,
  MODELS.codex,
  MODELS.codexAdditionalTools,
  MODELS.responsesUpstream,
  MODELS.sdkChat,
  MODELS.sdkResponses,
  MODELS.slow,
  MODELS.slowUpstream,
  MODELS.geminiUpstream,
  MODELS.genaiGemini,
  MODELS.genaiChat,
  MODELS.sdkGemini,
  MODELS.codexGemini,
  MODELS.codexGeminiAdditionalTools,
  MODELS.anthropicUpstream,
  MODELS.sdkAnthropic,
  MODELS.sdkAnthropicOnChat,
  MODELS.claudeCodeOnAnthropic,
  MODELS.claudeCodeOnChat,
  MODELS.codexOnAnthropic,
].sort((a, b) => a.localeCompare(b));

/** Health, readiness and the model list. */
export function endpointScenarios(context: E2eContextGetter): void {
  describe('health and model list', () => {
    it('answers /healthz and /readyz with 200', async () => {
      const { gateway } = context();
      const health = await httpCall(`${gateway.origin}/healthz`);
      expect({ status: health.status, body: health.json }).toEqual({ status: 200, body: { status: 'ok' } });
      const ready = await httpCall(`${gateway.origin}/readyz`);
      expect(ready.status).toBe(200);
      // Embedded: the in-process database; distributed ingress: Redis (it has no database of its own).
      const required = { shutdown: 'ok', routing_snapshot: 'ok', auth: 'ok' };
      const checks =
        gateway.mode === 'embedded'
          ? { ...required, database: 'ok', routing_service: 'ok' }
          : { ...required, routing_service: 'ok', redis: 'ok' };
      expect(ready.json).toEqual({ status: 'ready', checks });
      const ids = [health.headers.get('ah-request-id'), ready.headers.get('ah-request-id')];
      expect(ids.every((id) => /^[0-9a-f-]{36}$/.test(id ?? ''))).toBe(true);
      expect(ids[0]).not.toBe(ids[1]);
    });

    it('answers an unknown endpoint with 404 in the OpenAI envelope, with AH-Request-Id', async () => {
      const { gateway } = context();
      const response = await httpCall(`${gateway.origin}/v1/embeddings-nope`);
      expect(response.status).toBe(404);
      expect(response.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request' } });
      expect(response.headers.get('ah-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('lists the profile names and the channel models on GET /v1/models (openai SDK)', async () => {
      const { gateway, upstream } = context();
      const client = new OpenAI({ apiKey: gateway.apiKey, baseURL: gateway.baseUrl, maxRetries: 0 });

      const { data: page, response } = await client.models.list().withResponse();

      expect(page.data.map((model) => model.id)).toEqual(LISTED_MODEL_IDS);
      expect(page.data.find((model) => model.id === MODELS.codex)).toMatchObject({ object: 'model', owned_by: gateway.channelNames.chat });
      expect(response.headers.get('ah-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(upstream.requests).toHaveLength(0); // answered from the routing snapshot
    });
  });
}
