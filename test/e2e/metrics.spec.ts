/**
 * `/metrics` on the built gateway, both modes, with the fake upstream: the exposition parses (strictly, see
 * test/support/prometheus-text.ts), its counters count exactly the requests sent, the histograms hold their
 * durations and the upstream's token counts, every metric a Grafana dashboard queries is exposed, and the
 * dashboard's "busiest conversations" query runs against the request log. Distributed mode: each service
 * serves its own metrics on its metrics port.
 */
import { Client } from 'pg';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream';
import { getFreePorts } from '../support/ports';
import { exposedNames, parsePrometheusText, sampleValue, type Family } from '../support/prometheus-text';
import { dashboards, metricNamesIn, promQlExpressions } from '../deploy/support/deploy-files';
import { RECORDED_USAGE, waitForRequestLogs } from './support/e2e-context';
import { MODELS, startDistributedGateway, startEmbeddedGateway, type GatewayUnderTest } from './support/gateway-under-test';
import { httpCall } from './support/http-client';

jest.setTimeout(120_000);

type Metrics = Map<string, Family>;

async function scrape(url: string): Promise<Metrics> {
  const response = await httpCall(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(response.text);
}

/** Polls until `accept` holds (request-log rows are written after the answer), then returns the last scrape. */
async function scrapeUntil(url: string, accept: (metrics: Metrics) => boolean, timeoutMs = 15_000): Promise<Metrics> {
  const deadline = Date.now() + timeoutMs;
  let metrics = await scrape(url);
  while (!accept(metrics) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    metrics = await scrape(url);
  }
  return metrics;
}

function chat(
  gateway: GatewayUnderTest,
  model: string,
  options: { stream?: boolean; key?: string; traceId?: string } = {},
): Promise<unknown> {
  return httpCall(`${gateway.baseUrl}/chat/completions`, {
    body: { model, stream: options.stream ?? false, messages: [{ role: 'user', content: 'hi' }] },
    headers: { authorization: `Bearer ${options.key ?? gateway.apiKey}`, ...(options.traceId ? { 'ah-trace-id': options.traceId } : {}) },
  });
}

describe('/metrics of the embedded gateway', () => {
  let upstream: FakeUpstream;
  let gateway: GatewayUnderTest;

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    gateway = await startEmbeddedGateway(upstream);
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('parses, and counts every request once by mapped model, channel, status and error type, with durations, TTFT and tokens', async () => {
    const routed = { gen_ai_request_model: MODELS.chatUpstream, channel: gateway.channelNames.chat, gen_ai_operation_name: 'chat' };
    const ok = { ...routed, status: '200', error_type: '' };
    const before = await scrape(`${gateway.origin}/metrics`);
    const plain = 5;
    const streamed = 3;
    for (let index = 0; index < plain; index++) await chat(gateway, MODELS.sdkChat);
    for (let index = 0; index < streamed; index++) await chat(gateway, MODELS.sdkChat, { stream: true });
    await chat(gateway, 'no-such-model');
    await chat(gateway, 'no-such-model');
    await chat(gateway, MODELS.sdkChat, { key: 'sk-not-a-key' });

    const after = await scrapeUntil(
      `${gateway.origin}/metrics`,
      (metrics) => sampleValue(metrics, 'axonhub_requests_total') - sampleValue(before, 'axonhub_requests_total') >= plain + streamed + 3,
    );
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta('axonhub_requests_total')).toBe(plain + streamed + 3);
    expect(delta('axonhub_requests_total', ok)).toBe(plain + streamed);
    expect(delta('axonhub_request_errors_total', ok)).toBe(0);
    // Never routed: no model or channel label value (the requested name is client input, kept out of labels).
    expect(
      delta('axonhub_request_errors_total', { status: '404', error_type: 'model_not_found', gen_ai_request_model: '', channel: '' }),
    ).toBe(2);
    expect(delta('axonhub_request_errors_total', { status: '401', error_type: 'invalid_api_key', project: '' })).toBe(1);
    expect(delta('axonhub_request_errors_total')).toBe(3);
    expect(delta('gen_ai_server_request_duration_seconds_count', ok)).toBe(plain + streamed);
    expect(delta('gen_ai_server_request_duration_seconds_sum', ok)).toBeGreaterThan(0);
    expect(delta('gen_ai_server_time_to_first_token_seconds_count', ok)).toBe(streamed);
    expect(delta('gen_ai_client_token_usage_count', { ...ok, gen_ai_token_type: 'input' })).toBe(plain + streamed);
    expect(delta('gen_ai_client_token_usage_sum', { ...ok, gen_ai_token_type: 'output' })).toBe(
      plain * RECORDED_USAGE.chatTextJson.output + streamed * RECORDED_USAGE.chatTextStream.output,
    );
    // The project label is the key's project id: one series for all of this key's requests.
    const projects = new Set(
      after
        .get('axonhub_requests_total')
        ?.samples.filter((sample) => sample.labels.status === '200')
        .map((sample) => sample.labels.project),
    );
    expect(projects.size).toBe(1);
    expect([...projects][0]).toMatch(/^[0-9a-f-]{36}$/);
    // The key is cached after the first request: memory hits, no Redis tier in embedded mode.
    expect(delta('axonhub_api_key_cache_lookups_total', { tier: 'memory', result: 'hit' })).toBeGreaterThanOrEqual(plain + streamed - 1);
  });

  it('holds the services of the same process too: request-log rows written, bus handlers, the routing snapshot', async () => {
    const metrics = await scrapeUntil(
      `${gateway.origin}/metrics`,
      (current) => sampleValue(current, 'axonhub_request_log_rows_written_total') >= 3,
    );
    expect(sampleValue(metrics, 'axonhub_request_log_rows_written_total')).toBeGreaterThanOrEqual(3);
    expect(
      sampleValue(metrics, 'axonhub_bus_messages_handled_total', { subject: 'auth.api-key.verify', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(metrics, 'axonhub_routing_snapshot_version')).toBeGreaterThan(0);
    expect(sampleValue(metrics, 'axonhub_routing_snapshot_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sampleValue(metrics, 'axonhub_request_log_queue_rows')).toBeGreaterThanOrEqual(0);
  });

  it('exposes every metric that a Grafana dashboard panel or variable queries', async () => {
    await chat(gateway, MODELS.sdkChat, { stream: true });
    await chat(gateway, 'no-such-model');
    const exposed = exposedNames(await scrape(`${gateway.origin}/metrics`));
    const queried = dashboards().flatMap(({ file, dashboard }) =>
      promQlExpressions(dashboard).flatMap(({ where, expr }) =>
        metricNamesIn(expr).map((metric) => ({ metric, where: `${file} ${where}` })),
      ),
    );
    expect(queried.length).toBeGreaterThan(10);
    // Metrics of the collector's own exporter are not the gateway's: the dashboard queries none.
    expect(queried.filter(({ metric }) => !exposed.has(metric))).toEqual([]);
  });

  it("runs the dashboard's busiest-conversations query on the request log, busiest first", async () => {
    const busy = `metrics-busy-${Date.now()}`;
    const quiet = `metrics-quiet-${Date.now()}`;
    for (let index = 0; index < 3; index++) await chat(gateway, MODELS.sdkChat, { traceId: busy });
    await chat(gateway, MODELS.sdkChat, { traceId: quiet });
    await waitForRequestLogs(gateway, { conversationKey: quiet }, 1);
    await waitForRequestLogs(gateway, { conversationKey: busy }, 3);
    const panel = dashboards()
      .flatMap(({ dashboard }) => dashboard.panels)
      .find((candidate) => candidate.title === 'Busiest conversations');
    const sql = panel?.targets?.[0]?.rawSql ?? '';
    // Grafana's macro for the dashboard's time range, as its PostgreSQL data source expands it.
    const query = sql.replace(/\$__timeFilter\((\w+)\)/g, "$1 BETWEEN now() - interval '1 hour' AND now() + interval '1 minute'");
    expect(query).not.toContain('$');
    const client = new Client({ connectionString: await gateway.databaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ conversation: string; requests: string; tokens: string }>(query);
      const busyRow = rows.find((row) => row.conversation === busy);
      const quietRow = rows.find((row) => row.conversation === quiet);
      expect(Number(busyRow?.requests)).toBe(3);
      expect(Number(quietRow?.requests)).toBe(1);
      expect(Number(busyRow?.tokens)).toBe(3 * RECORDED_USAGE.chatTextJson.total);
      expect(rows.indexOf(busyRow!)).toBeLessThan(rows.indexOf(quietRow!));
    } finally {
      await client.end();
    }
  });

  it('needs no API key and is not the inference lane: a POST is not served, other paths stay 404', async () => {
    const post = await httpCall(`${gateway.origin}/metrics`, { method: 'POST', body: {} });
    expect(post.status).toBe(404);
  });
});

describe('/metrics in distributed mode: ingress on its port, each service on its metrics port', () => {
  let upstream: FakeUpstream;
  let gateway: GatewayUnderTest;
  let ports: { auth: number; routing: number; trace: number };

  beforeAll(async () => {
    const [auth, routing, trace] = (await getFreePorts(3)) as [number, number, number];
    ports = { auth, routing, trace };
    upstream = await startFakeUpstream();
    gateway = await startDistributedGateway(upstream, {
      config: { metrics: { auth_port: auth, routing_port: routing, trace_port: trace } },
    });
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
  });

  it('counts requests on the ingress and what each service handled on its own /metrics', async () => {
    const count = 4;
    for (let index = 0; index < count; index++) await chat(gateway, MODELS.sdkChat);
    const ingress = await scrapeUntil(`${gateway.origin}/metrics`, (metrics) => sampleValue(metrics, 'axonhub_requests_total') >= count);
    expect(sampleValue(ingress, 'axonhub_requests_total', { status: '200', channel: gateway.channelNames.chat })).toBe(count);
    // The ingress process hosts no service: their metrics are on their own ports.
    expect(ingress.has('axonhub_request_log_rows_written_total')).toBe(false);

    const auth = await scrape(`http://127.0.0.1:${ports.auth}/metrics`);
    expect(
      sampleValue(auth, 'axonhub_bus_messages_handled_total', { subject: 'auth.api-key.verify', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    expect(auth.has('axonhub_requests_total')).toBe(false);
    const routing = await scrape(`http://127.0.0.1:${ports.routing}/metrics`);
    expect(
      sampleValue(routing, 'axonhub_bus_messages_handled_total', { subject: 'routing.snapshot.get', outcome: 'ok' }),
    ).toBeGreaterThanOrEqual(1);
    const trace = await scrapeUntil(
      `http://127.0.0.1:${ports.trace}/metrics`,
      (metrics) => sampleValue(metrics, 'axonhub_request_log_rows_written_total') >= count,
    );
    expect(sampleValue(trace, 'axonhub_request_log_rows_written_total')).toBe(count);
    expect((await httpCall(`http://127.0.0.1:${ports.trace}/other`)).status).toBe(404);
  });
});
