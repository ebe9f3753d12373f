/**
 * Channels through the admin API in distributed mode: ingress hands each command to the routing service over
 * real NATS, with Redis as the key-decision cache. Run under `flock /tmp/gw-distributed.lock`: NATS
 * request/reply subjects are not namespaced per deployment.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { ChannelTestResult, ChannelView } from '@gw/contracts';
import { REDIS_URL } from '../integration/support/test-infra';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, chatWithKey, type AdminCall } from './support/admin-client';
import { startDistributedGateway, type DistributedGatewayUnderTest } from './support/gateway-under-test';

jest.setTimeout(120_000);

const MODEL = 'remote-channel-model';

describe('channels admin API (distributed gateway, over NATS)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  const secret = `sk-proj-${randomBytes(24).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: DistributedGatewayUnderTest;
  let owner: AdminCall;
  let clientKey: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    owner = adminClient(gateway.origin, bootstrapToken);
    clientKey = (await owner<{ key: string }>('POST', '/api-keys', { name: 'remote-channel-client' })).body.key;
  });

  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  /** PATCH over HTTP (the shared admin client has no PATCH). */
  async function patchChannel(name: string, body: unknown): Promise<{ status: number; body: ChannelView }> {
    const response = await fetch(`${gateway.origin}/admin/v1/channels/${name}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${bootstrapToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as ChannelView };
  }

  it('creates, disables and enables a channel, each effective on the next request', async () => {
    const created = await owner<ChannelView>('POST', '/channels', {
      name: 'remote-chat',
      type: 'openai',
      base_url: upstream.url,
      api_key: secret,
      models: [MODEL],
    });
    expect(created.status).toBe(201);
    expect(await chatWithKey(gateway.baseUrl, clientKey, MODEL)).toBe(200);
    expect(upstream.requests[upstream.requests.length - 1]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect((await patchChannel('remote-chat', { enabled: false })).body.enabled).toBe(false);
    expect(await chatWithKey(gateway.baseUrl, clientKey, MODEL)).toBe(404);
    expect((await patchChannel('remote-chat', { enabled: true })).body.enabled).toBe(true);
    expect(await chatWithKey(gateway.baseUrl, clientKey, MODEL)).toBe(200);
  });

  it('waits for a test call slower than an ordinary admin command (the bus waits longer for it)', async () => {
    upstream.enqueue({ fixture: 'openai-chat/text.json', firstByteDelayMs: 6_000 });
    const result = await owner<ChannelTestResult>('POST', '/channels/remote-chat/test', {});
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ ok: true, status: 200, model: MODEL });
    expect(result.body.latency_ms).toBeGreaterThanOrEqual(6_000);
  });

  it('never puts a channel credential in Redis', async () => {
    const redis = new Redis(REDIS_URL, { lazyConnect: true });
    await redis.connect();
    try {
      let cursor = '0';
      let scanned = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
        cursor = next;
        for (const key of keys) {
          scanned++;
          expect(key).not.toContain(secret);
          const type = await redis.type(key);
          if (type === 'string') expect((await redis.get(key)) ?? '').not.toContain(secret);
          if (type === 'hash') expect(JSON.stringify(await redis.hgetall(key))).not.toContain(secret);
        }
      } while (cursor !== '0');
      expect(scanned).toBeGreaterThan(0); // the gateway cached its key decisions there
    } finally {
      redis.disconnect();
    }
  });
});
