import OpenAI from 'openai';
import type { E2eContextGetter } from './e2e-context';
import { ALTERNATE_PROFILE, MODELS } from './gateway-under-test';
import { httpCall } from './http-client';

/** `AH-Profile`: another profile of the client's own key, for one request. */
export function profileScenarios(context: E2eContextGetter): void {
  describe('per-request profile (AH-Profile)', () => {
    it('maps the model through the named profile for that request only', async () => {
      const { gateway, upstream } = context();
      const client = new OpenAI({ apiKey: gateway.apiKey, baseURL: gateway.baseUrl, maxRetries: 0 });
      const ask = { model: MODELS.sdkChat, messages: [{ role: 'user' as const, content: 'hi' }] };

      const chosen = await client.chat.completions.create(ask, { headers: { 'AH-Profile': ALTERNATE_PROFILE } });
      const active = await client.chat.completions.create(ask);

      expect(chosen.choices[0]?.message.content).toBeTruthy();
      expect(active.choices[0]?.message.content).toBeTruthy();
      const [first, second] = upstream.requests;
      // The alternate profile sends the Chat client to the Responses channel (translated); the active one does not.
      expect({ path: first?.path, model: (first?.body as { model?: string }).model }).toEqual({
        path: '/v1/responses',
        model: MODELS.responsesUpstream,
      });
      expect({ path: second?.path, model: (second?.body as { model?: string }).model }).toEqual({
        path: '/v1/chat/completions',
        model: MODELS.chatUpstream,
      });
    });

    it('refuses a profile the key does not have with a 400 in the OpenAI envelope, before any upstream call', async () => {
      const { gateway, upstream } = context();
      const response = await httpCall(`${gateway.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.apiKey}`, 'content-type': 'application/json', 'ah-profile': 'no-such-profile' },
        body: JSON.stringify({ model: MODELS.sdkChat, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_request' } });
      expect(JSON.stringify(response.json)).toContain('no-such-profile');
      expect(upstream.requests).toHaveLength(0);
    });

    it('lists the models the named profile reaches on GET /v1/models', async () => {
      const { gateway } = context();
      const response = await httpCall(`${gateway.baseUrl}/models`, {
        headers: { authorization: `Bearer ${gateway.apiKey}`, 'ah-profile': ALTERNATE_PROFILE },
      });
      const ids = (response.json as { data: { id: string; owned_by: string }[] }).data;
      // Only the alternate profile's rule adds a name; the active profile's (gpt-5 for Codex) are not there.
      expect(ids.map((model) => model.id)).toContain(MODELS.sdkChat);
      expect(ids.map((model) => model.id)).not.toContain(MODELS.codex);
      expect(ids.find((model) => model.id === MODELS.sdkChat)?.owned_by).toBe(gateway.channelNames.responses);
    });
  });
}
