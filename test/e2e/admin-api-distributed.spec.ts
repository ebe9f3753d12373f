/**
 * The admin API in distributed mode: ingress hands each command to the auth and routing services over real
 * NATS. Authenticated with `admin.bootstrap_token` from the config (so no first-owner token is created).
 * Run the suite under `flock /tmp/gw-distributed.lock`: NATS request/reply subjects are not namespaced.
 */
import { randomBytes } from 'node:crypto';
import type { ApiKeyView } from '@gw/contracts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, chatWithKey, type AdminCall } from './support/admin-client';
import { MODELS, startDistributedGateway, type DistributedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(120_000);

describe('admin API (distributed gateway, over NATS)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: DistributedGatewayUnderTest;
  let owner: AdminCall;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    owner = adminClient(gateway.origin, bootstrapToken);
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  const lastUpstreamModel = (): unknown => (upstream.requests[upstream.requests.length - 1]?.body as { model?: unknown })?.model;

  it('creates a key, switches its profile live and revokes it, each effective on the next request', async () => {
    expect(gateway.output()).not.toContain('export AXONHUB_ADMIN_TOKEN=');
    const created = await owner<ApiKeyView & { key: string }>('POST', '/api-keys', { name: 'remote-key' });
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    expect(await chatWithKey(gateway.baseUrl, key, MODELS.chatUpstream)).toBe(200);

    for (const [name, to] of [
      ['chat', MODELS.chatUpstream],
      ['slow', MODELS.slowUpstream],
    ] as const) {
      expect((await owner('POST', `/api-keys/${id}/profiles`, { name, rules: [{ from: 'gpt-4', to }] })).status).toBe(201);
    }
    expect((await owner('PUT', `/api-keys/${id}/active-profile`, { profile: 'chat' })).status).toBe(200);
    expect(await chatWithKey(gateway.baseUrl, key, 'gpt-4')).toBe(200);
    expect(lastUpstreamModel()).toBe(MODELS.chatUpstream);
    expect((await owner('PUT', `/api-keys/${id}/active-profile`, { profile: 'slow' })).status).toBe(200);
    expect(await chatWithKey(gateway.baseUrl, key, 'gpt-4')).toBe(200);
    expect(lastUpstreamModel()).toBe(MODELS.slowUpstream);

    expect((await owner('DELETE', `/api-keys/${id}`)).body.state).toBe('revoked');
    expect(await chatWithKey(gateway.baseUrl, key, 'gpt-4')).toBe(401);
    const audit = await owner('GET', '/audit');
    expect(audit.body.items[0]).toMatchObject({ action: 'api_key.revoke', actor: { token_name: 'admin.bootstrap_token' } });
  });
});
