/**
 * The deployment files, checked offline (no container engine or cluster here): docker-compose.yml parses and
 * names every service and port the apps use; the Kubernetes manifests validate against the Kubernetes API
 * schemas and agree with the compose file on ports; the observability configs are wired to each other.
 * That every metric a dashboard queries is one the gateway exposes is checked live in test/e2e/metrics.spec.ts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG } from '@gw/config';
import {
  KUBERNETES_DIR,
  OBSERVABILITY_DIR,
  REPO_ROOT,
  dashboards,
  kubernetesObjects,
  metricNamesIn,
  promQlExpressions,
  readYaml,
  validateKubernetes,
  type KubernetesObject,
} from './support/deploy-files';
import { unknownFields } from './support/strict-kubernetes';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
}

const compose = readYaml<{ services: Record<string, ComposeService> }>(join(REPO_ROOT, 'docker-compose.yml'));
const collector = readYaml<{
  receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  exporters: Record<string, { endpoint: string }>;
  service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
}>(join(OBSERVABILITY_DIR, 'otel-collector.yaml'));

/** The gateway's apps and the port each serves /metrics on, from the config defaults. */
const APP_METRICS_PORTS = {
  ingress: DEFAULT_CONFIG.server.port,
  auth: DEFAULT_CONFIG.metrics.auth_port,
  routing: DEFAULT_CONFIG.metrics.routing_port,
  trace: DEFAULT_CONFIG.metrics.trace_port,
} as const;
type App = keyof typeof APP_METRICS_PORTS;
const APPS = Object.keys(APP_METRICS_PORTS) as App[];

function hostAndPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

/** The port a service listens on inside the compose network, from `expose` or `ports` ("host:container"). */
function composePorts(service: ComposeService): number[] {
  const fromPorts = (service.ports ?? []).map((mapping) => Number(mapping.split(':').pop()));
  return [...(service.expose ?? []).map(Number), ...fromPorts];
}

describe('docker-compose.yml', () => {
  it('parses and names every service the apps use, the gateway apps with their own entry points', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['auth', 'grafana', 'ingress', 'jaeger', 'nats', 'otel-collector', 'postgres', 'prometheus', 'redis', 'routing', 'trace'].sort(),
    );
    for (const app of APPS) expect(compose.services[app]?.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
  });

  it('points every app at services and ports that exist: NATS, PostgreSQL, Redis, the collector', () => {
    const known: Record<string, number> = { nats: 4222, postgres: 5432, redis: 6379 };
    for (const app of APPS) {
      const environment = compose.services[app]?.environment ?? {};
      const urls = [environment.AXONHUB_NATS_URL, environment.AXONHUB_DB_URL, environment.AXONHUB_REDIS_URL].filter(
        (url): url is string => url !== undefined,
      );
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) {
        const { host, port } = hostAndPort(url.replace(/\$\{[^}]*\}/g, 'x'));
        expect(compose.services[host]).toBeDefined();
        expect(port).toBe(known[host]);
      }
      const otlp = hostAndPort(environment.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(otlp.host).toBe('otel-collector');
      expect(composePorts(compose.services['otel-collector'] as ComposeService)).toContain(otlp.port);
      expect(Object.values(collector.receivers.otlp.protocols).map((protocol) => hostAndPort(protocol.endpoint).port)).toContain(otlp.port);
      expect(environment.OTEL_SERVICE_NAME).toBe(`axonhub-${app}`);
    }
  });

  it('publishes the ingress port and exposes each service metrics port that Prometheus scrapes', () => {
    expect(compose.services.ingress?.ports).toContain(`\${AXONHUB_PORT:-8090}:${APP_METRICS_PORTS.ingress}`);
    const prometheus = readYaml<{ scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>(
      join(OBSERVABILITY_DIR, 'prometheus.yml'),
    );
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((config) => config.targets));
    for (const app of APPS) {
      expect(targets).toContain(`${app}:${APP_METRICS_PORTS[app]}`);
      if (app !== 'ingress') {
        expect(composePorts(compose.services[app] as ComposeService)).toContain(APP_METRICS_PORTS[app]);
        const override = compose.services[app]?.environment?.[`AXONHUB_METRICS_${app.toUpperCase()}_PORT`];
        expect(override === undefined || Number(override) === APP_METRICS_PORTS[app]).toBe(true);
      }
    }
    for (const target of targets) {
      const { host, port } = hostAndPort(target);
      expect(
        composePorts(compose.services[host] as ComposeService).concat(host === 'ingress' ? [APP_METRICS_PORTS.ingress] : []),
      ).toContain(port);
    }
  });

  it('wires the collector to Jaeger and Grafana to Prometheus, Jaeger and PostgreSQL, with the configs mounted', () => {
    const jaeger = hostAndPort(collector.exporters['otlp/jaeger']?.endpoint ?? '');
    expect(jaeger.host).toBe('jaeger');
    expect(composePorts(compose.services.jaeger as ComposeService)).toContain(jaeger.port);
    expect(collector.service.pipelines.traces?.exporters).toEqual(['otlp/jaeger']);
    const datasources = readYaml<{ datasources: { uid: string; type: string; url: string }[] }>(
      join(OBSERVABILITY_DIR, 'grafana', 'provisioning', 'datasources', 'datasources.yaml'),
    ).datasources;
    for (const source of datasources.filter((source) => source.url.startsWith('http'))) {
      const { host, port } = hostAndPort(source.url);
      expect(composePorts(compose.services[host] as ComposeService)).toContain(port);
    }
    const grafanaEnvironment = compose.services.grafana?.environment ?? {};
    expect(hostAndPort(grafanaEnvironment.GRAFANA_DB_HOST ?? '').host).toBe('postgres');
    // Every panel's data source is provisioned.
    const uids = new Set(datasources.map((source) => source.uid));
    for (const { dashboard } of dashboards()) {
      for (const panel of dashboard.panels.filter((panel) => panel.type !== 'row')) expect(uids).toContain(panel.datasource?.uid);
    }
    const mounted = Object.values(compose.services).flatMap((service) => service.volumes ?? []);
    for (const file of ['otel-collector.yaml', 'prometheus.yml', 'grafana/provisioning', 'grafana/dashboards']) {
      expect(mounted.some((volume) => volume.startsWith(`./deploy/observability/${file}:`))).toBe(true);
    }
  });
});

describe('Kubernetes manifests (deploy/kubernetes)', () => {
  const objects = kubernetesObjects();
  const byKind = (kind: string): KubernetesObject[] => objects.filter(({ object }) => object.kind === kind).map(({ object }) => object);

  it('validate against the Kubernetes API schemas', () => {
    const results = validateKubernetes(objects.map(({ object }) => object));
    expect(results).toHaveLength(objects.length);
    expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
    expect(new Set(results.map((result) => result.kind))).toEqual(
      new Set(['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'ServiceAccount', 'Role', 'RoleBinding']),
    );
  });

  it('have no field the Kubernetes API does not know (a typo would be dropped silently by the API server)', () => {
    expect(unknownFields(objects.map(({ object }) => object))).toEqual([]);
  });

  it('the checks catch a broken manifest: a misspelled field, a port as text, a container without a name', () => {
    const misspelled = structuredClone(byKind('Service')[0]) as KubernetesObject & { spec: Record<string, unknown> };
    misspelled.spec.selectors = misspelled.spec.selector;
    expect(unknownFields([misspelled]).join(' ')).toMatch(/'"?selectors"?' does not exist/);

    const deployment = structuredClone(byKind('Deployment')[0]) as KubernetesObject & {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
    const container = deployment.spec.template.spec.containers[0] as Record<string, unknown>;
    container.ports = [{ containerPort: 'eighty' }];
    delete container.name;
    const [result] = validateKubernetes([deployment]);
    expect(result?.errors.join(' ')).toMatch(/containerPort must be integer|must have required property 'name'/);
    expect(unknownFields([deployment]).join(' ')).toMatch(/Deployment axonhub-ingress: .*not assignable/);
  });

  it('annotates every app pod for Prometheus on its metrics port, with the port declared, and sends traces to the collector', () => {
    const deployments = byKind('Deployment') as (KubernetesObject & {
      spec: {
        template: {
          metadata: { annotations?: Record<string, string> };
          spec: { containers: { name: string; ports?: { containerPort: number }[]; env?: { name: string; value?: string }[] }[] };
        };
      };
    })[];
    const collectorService = byKind('Service').find((service) => service.metadata.name === 'otel-collector') as
      (KubernetesObject & { spec: { ports: { port: number }[] } }) | undefined;
    expect(collectorService).toBeDefined();
    for (const app of APPS) {
      const deployment = deployments.find((candidate) => candidate.metadata.name === `axonhub-${app}`);
      expect(deployment).toBeDefined();
      const annotations = deployment?.spec.template.metadata.annotations ?? {};
      expect(annotations['prometheus.io/scrape']).toBe('true');
      expect(Number(annotations['prometheus.io/port'])).toBe(APP_METRICS_PORTS[app]);
      const container = deployment?.spec.template.spec.containers.find((candidate) => candidate.name === app);
      expect(container?.ports?.map((port) => port.containerPort)).toContain(APP_METRICS_PORTS[app]);
      const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));
      const otlp = hostAndPort(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '');
      expect(otlp.host).toBe('otel-collector');
      expect(collectorService?.spec.ports.map((port) => port.port)).toContain(otlp.port);
      expect(env.OTEL_SERVICE_NAME).toBe(`axonhub-${app}`);
    }
  });

  it('mount only ConfigMaps, Secrets and service accounts that the manifests define', () => {
    const names = (kind: string): string[] => byKind(kind).map((object) => object.metadata.name);
    const text = JSON.stringify(byKind('Deployment'));
    for (const match of text.matchAll(/"configMap":\{"name":"([^"]+)"/g)) expect(names('ConfigMap')).toContain(match[1]);
    for (const match of text.matchAll(/"serviceAccountName":"([^"]+)"/g)) expect(names('ServiceAccount')).toContain(match[1]);
    for (const match of text.matchAll(/"secretKeyRef":\{"name":"([^"]+)"/g)) expect(names('Secret')).toContain(match[1]);
  });

  it('carry the observability configs exactly as deploy/observability has them (45-observability-configmaps.yaml is generated)', () => {
    const rendered = execFileSync(process.execPath, [join(KUBERNETES_DIR, 'render-observability-configmaps.mjs'), '--stdout'], {
      encoding: 'utf8',
    });
    const committed = readFileSync(join(KUBERNETES_DIR, '45-observability-configmaps.yaml'), 'utf8');
    // Run `node deploy/kubernetes/render-observability-configmaps.mjs` after editing deploy/observability/.
    expect(committed).toBe(rendered);
  });
});

describe('Grafana dashboards', () => {
  it('query metrics by name in every Prometheus panel, and cover traffic, latency, TTFT, tokens, errors and conversations', () => {
    const [{ dashboard } = { dashboard: undefined }] = dashboards();
    expect(dashboard).toBeDefined();
    const names = new Set(promQlExpressions(dashboard!).flatMap(({ expr }) => metricNamesIn(expr)));
    for (const metric of [
      'axonhub_requests_total',
      'axonhub_request_errors_total',
      'gen_ai_server_request_duration_seconds_bucket',
      'gen_ai_server_time_to_first_token_seconds_bucket',
      'gen_ai_client_token_usage_sum',
    ]) {
      expect(names).toContain(metric);
    }
    const titles = dashboard!.panels.map((panel) => panel.title);
    expect(titles).toContain('Busiest conversations');
  });

  it('metricNamesIn finds metric names and nothing else', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, model) (rate(a_seconds_bucket{channel=~"$channel", x="by(y)"}[$__rate_interval])))',
      ),
    ).toEqual(['a_seconds_bucket']);
    expect(metricNamesIn('sum(rate(a_total[5m])) / ignoring (status) sum(b_total offset 1h)')).toEqual(['a_total', 'b_total']);
    expect(metricNamesIn('label_values(axonhub_requests_total, channel)')).toEqual(['axonhub_requests_total']);
  });
});
