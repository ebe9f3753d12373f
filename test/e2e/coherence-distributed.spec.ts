/**
 * Two ingress replicas on real NATS, Redis and PostgreSQL (auth, routing, trace and two ingress processes):
 * a change made through the admin API of one replica takes effect on the other within a second, with no
 * restart; a replica started while the auth service is down serves a key another replica has used (the
 * key decision from Redis). Run under `flock /tmp/gw-distributed.lock`: NATS subjects are not namespaced.
 */
import { randomBytes } from 'node:crypto';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import Redis from 'ioredis';
import { Client } from 'pg';
import { lastValueFrom } from 'rxjs';
import { RoutingSubjects, type ApiKeyView } from '@gw/contracts';
import { NATS_URL, REDIS_URL } from '../integration/support/test-infra';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { adminClient, chatWithKey, type AdminCall } from './support/admin-client';
import { MODELS, startDistributedGateway, type DistributedGatewayUnderTest, type IngressReplica } from './support/gateway-under-test';

jest.setTimeout(180_000);

/** The bound: a change is in effect on every replica within one second of the admin answer. */
const COHERENCE_BUDGET_MS = 1_000;
/** How long a poll goes on before it reports what it last saw (well past the budget, for a useful message). */
const GIVE_UP_MS = 5_000;

interface Replica {
  name: string;
  baseUrl: string;
}

describe('two ingress replicas stay coherent (distributed: NATS, Redis, PostgreSQL)', () => {
  const bootstrapToken = `ahadm-e2e-${randomBytes(16).toString('hex')}`;
  let upstream: FakeUpstream;
  let gateway: DistributedGatewayUnderTest;
  let second: IngressReplica;
  let replicas: [Replica, Replica];
  let owner: AdminCall;
  let bus: ClientProxy;
  let redis: Redis;
  /** What each poll measured, printed at the end (the report quotes it). */
  const measured: string[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream, { config: { admin: { bootstrap_token: bootstrapToken } } });
    second = await gateway.addIngressReplica();
    replicas = [
      { name: 'replica 1', baseUrl: gateway.baseUrl },
      { name: 'replica 2', baseUrl: second.baseUrl },
    ];
    // Every admin call goes to replica 1: replica 2 learns of changes only through the services' events.
    owner = adminClient(gateway.origin, bootstrapToken);
    bus = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [NATS_URL], name: 'e2e-coherence' } });
    await bus.connect();
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    console.info(`coherence, ms from the change to the first request seeing it:\n${measured.join('\n')}`);
    await redis?.quit();
    await bus?.close();
    await gateway?.stop();
    await upstream?.close();
  });

  /** A new key whose active profile is `chat` (gpt-4 → the Chat channel); `slow` maps gpt-4 to the slow channel. */
  const keyWithTwoProfiles = async (name: string): Promise<{ id: string; key: string }> => {
    const created = await owner<ApiKeyView & { key: string }>('POST', '/api-keys', { name });
    expect(created.status).toBe(201);
    const { id, key } = created.body;
    for (const [profile, to] of [
      ['chat', MODELS.chatUpstream],
      ['slow', MODELS.slowUpstream],
    ] as const) {
      expect((await owner('POST', `/api-keys/${id}/profiles`, { name: profile, rules: [{ from: 'gpt-4', to }] })).status).toBe(201);
    }
    expect((await owner('PUT', `/api-keys/${id}/active-profile`, { profile: 'chat' })).status).toBe(200);
    return { id, key };
  };

  /** One `gpt-4` request through `replica`: its status and the model the upstream received (requests here run one at a time). */
  const mappedModel = async (replica: Replica, key: string): Promise<{ status: number; model?: unknown }> => {
    const before = upstream.requests.length;
    const status = await chatWithKey(replica.baseUrl, key, 'gpt-4');
    const reached = upstream.requests.slice(before).at(-1);
    return { status, model: (reached?.body as { model?: unknown } | undefined)?.model };
  };

  /**
   * Polls `probe` until `accept` holds; the time is from `since` (the admin answer) to the START of the
   * first accepted probe, so a slow probe does not count against the replica.
   */
  const timeUntil = async <T>(since: number, probe: () => Promise<T>, accept: (value: T) => boolean): Promise<{ ms: number; last: T }> => {
    for (;;) {
      const startedAt = performance.now();
      const last = await probe();
      if (accept(last)) return { ms: startedAt - since, last };
      if (performance.now() - since > GIVE_UP_MS) return { ms: Number.POSITIVE_INFINITY, last };
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const expectEveryReplicaWithin = async <T>(
    change: string,
    since: number,
    probe: (replica: Replica) => Promise<T>,
    accept: (value: T) => boolean,
  ): Promise<void> => {
    for (const replica of replicas) {
      const { ms, last } = await timeUntil(since, () => probe(replica), accept);
      measured.push(`${change}, ${replica.name}: ${ms.toFixed(0)}`);
      expect({ replica: replica.name, last, withinBudget: ms < COHERENCE_BUDGET_MS }).toEqual({
        replica: replica.name,
        last: expect.anything() as unknown,
        withinBudget: true,
      });
      expect(accept(last)).toBe(true);
    }
  };

  it('switching the active profile on replica 1 maps with the new profile on both replicas within a second', async () => {
    const { id, key } = await keyWithTwoProfiles('coherence-switch');
    for (const replica of replicas) expect(await mappedModel(replica, key)).toEqual({ status: 200, model: MODELS.chatUpstream });

    expect((await owner('PUT', `/api-keys/${id}/active-profile`, { profile: 'slow' })).status).toBe(200);
    const answeredAt = performance.now();
    // The serving replica has reloaded before it answered.
    expect(await mappedModel(replicas[0], key)).toEqual({ status: 200, model: MODELS.slowUpstream });
    await expectEveryReplicaWithin(
      'profile switch',
      answeredAt,
      (replica) => mappedModel(replica, key),
      (seen) => seen.model === MODELS.slowUpstream,
    );
    // The profiles reached replica 2 through Redis, which holds every key's profiles and no channel credential.
    const stored = await redis.hgetall(`${gateway.redisKeyPrefix}routing:profiles`);
    expect(JSON.parse(stored.profiles ?? '{}')).toMatchObject({
      [id]: expect.arrayContaining([expect.objectContaining({ name: 'slow' })]),
    });
    for (const channelKey of Object.values(gateway.channelKeys)) expect(JSON.stringify(stored)).not.toContain(channelKey);
  });

  it('editing a rule of the active profile on replica 1 takes effect on both replicas within a second', async () => {
    const { id, key } = await keyWithTwoProfiles('coherence-rule');
    for (const replica of replicas) expect(await mappedModel(replica, key)).toEqual({ status: 200, model: MODELS.chatUpstream });

    expect((await owner('PUT', `/api-keys/${id}/profiles/chat`, { rules: [{ from: 'gpt-4', to: MODELS.slowUpstream }] })).status).toBe(200);
    const answeredAt = performance.now();
    expect(await mappedModel(replicas[0], key)).toEqual({ status: 200, model: MODELS.slowUpstream });
    await expectEveryReplicaWithin(
      'rule edit',
      answeredAt,
      (replica) => mappedModel(replica, key),
      (seen) => seen.model === MODELS.slowUpstream,
    );
  });

  it('revoking a key on replica 1 refuses it on both replicas within a second, and it stays refused', async () => {
    const { id, key } = await keyWithTwoProfiles('coherence-revoke');
    // Cached as valid in both replicas' memory and in Redis.
    for (const replica of replicas) expect((await mappedModel(replica, key)).status).toBe(200);

    expect((await owner('DELETE', `/api-keys/${id}`)).status).toBe(200);
    const answeredAt = performance.now();
    expect(await chatWithKey(replicas[0].baseUrl, key, 'gpt-4')).toBe(401);
    await expectEveryReplicaWithin(
      'revoke',
      answeredAt,
      (replica) => chatWithKey(replica.baseUrl, key, 'gpt-4'),
      (status) => status === 401,
    );
    // Nothing puts the old decision back (a replica's LRU refilled from Redis, Redis refilled by a replica).
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      for (const replica of replicas) statuses.push(await chatWithKey(replica.baseUrl, key, 'gpt-4'));
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
  });

  it('no request with a revoked key succeeds once a second has passed since the revoke answer, under load on both replicas', async () => {
    const created = await owner<ApiKeyView & { key: string }>('POST', '/api-keys', { name: 'coherence-load' });
    const { id, key } = created.body;
    interface Outcome {
      replica: string;
      startedAt: number;
      endedAt: number;
      status: number;
    }
    const outcomes: Outcome[] = [];
    let running = true;
    const hammer = async (replica: Replica): Promise<void> => {
      while (running) {
        const startedAt = performance.now();
        const status = await chatWithKey(replica.baseUrl, key, MODELS.chatUpstream).catch(() => 0);
        outcomes.push({ replica: replica.name, startedAt, endedAt: performance.now(), status });
      }
    };
    const clients = Array.from({ length: 8 }, (_, index) => hammer(replicas[index % 2]!));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const revokeSentAt = performance.now();
    expect((await owner('DELETE', `/api-keys/${id}`)).status).toBe(200);
    const revokeAnsweredAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    running = false;
    await Promise.all(clients);

    const before = outcomes.filter((outcome) => outcome.endedAt < revokeSentAt);
    const afterBudget = outcomes.filter((outcome) => outcome.startedAt > revokeAnsweredAt + COHERENCE_BUDGET_MS);
    for (const replica of replicas) {
      expect(before.filter((outcome) => outcome.replica === replica.name).length).toBeGreaterThan(10);
      expect(afterBudget.filter((outcome) => outcome.replica === replica.name).length).toBeGreaterThan(10);
    }
    expect(before.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(afterBudget.filter((outcome) => outcome.status !== 401)).toEqual([]);
    // The replica that served the revoke evicted before answering: nothing started after the answer succeeds there.
    expect(
      outcomes.filter((outcome) => outcome.replica === replicas[0].name && outcome.startedAt > revokeAnsweredAt && outcome.status !== 401),
    ).toEqual([]);
    expect(outcomes.filter((outcome) => outcome.status !== 200 && outcome.status !== 401)).toEqual([]);
    const lastSuccess = Math.max(...outcomes.filter((outcome) => outcome.status === 200).map((outcome) => outcome.startedAt));
    measured.push(
      `revoke under load: ${outcomes.length} requests, last success started ${(lastSuccess - revokeAnsweredAt).toFixed(0)} ms after the revoke answer`,
    );
  });

  /**
   * Channels have no admin command yet: the test makes the change the channels command will make (the row)
   * and publishes the event every routing write publishes.
   */
  const disableChannel = async (name: string): Promise<void> => {
    const client = new Client({ connectionString: await gateway.databaseUrl() });
    await client.connect();
    try {
      const result = await client.query('UPDATE channels SET enabled = false WHERE name = $1', [name]);
      expect(result.rowCount).toBe(1);
    } finally {
      await client.end();
    }
    await lastValueFrom(bus.emit(RoutingSubjects.snapshotChanged, { version: Date.now() }), { defaultValue: undefined });
  };

  it('disabling a channel takes it out of routing on both replicas within a second', async () => {
    const { id, key } = await keyWithTwoProfiles('coherence-channel');
    expect((await owner('PUT', `/api-keys/${id}/active-profile`, { profile: 'slow' })).status).toBe(200);
    for (const replica of replicas) expect(await mappedModel(replica, key)).toEqual({ status: 200, model: MODELS.slowUpstream });

    await disableChannel(gateway.channelNames.slow);
    const changedAt = performance.now();
    await expectEveryReplicaWithin(
      'channel disabled',
      changedAt,
      (replica) => chatWithKey(replica.baseUrl, key, 'gpt-4'),
      (status) => status === 404,
    );
  });

  it('a replica started while the auth service is down serves a key another replica used (decision from Redis), and only that', async () => {
    const used = (await owner<ApiKeyView & { key: string }>('POST', '/api-keys', { name: 'coherence-warm' })).body.key;
    const neverUsed = (await owner<ApiKeyView & { key: string }>('POST', '/api-keys', { name: 'coherence-cold' })).body.key;
    expect(await chatWithKey(replicas[0].baseUrl, used, MODELS.chatUpstream)).toBe(200);

    await gateway.kill('auth', 'SIGKILL');
    try {
      // Not ready (the auth service does not answer), but listening once it has the routing snapshot.
      const third = await gateway.addIngressReplica({ readyz: false });
      expect(await chatWithKey(third.baseUrl, used, MODELS.chatUpstream)).toBe(200);
      // A key no replica has checked yet needs the auth service: the new replica cannot serve it.
      expect(await chatWithKey(third.baseUrl, neverUsed, MODELS.chatUpstream)).toBe(503);
      await third.process.stop(10_000);
    } finally {
      await gateway.restart('auth');
    }
  });
});
