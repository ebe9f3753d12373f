import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';
import { parseKeyValueList, resolveTelemetrySettings } from './telemetry-settings';

function config(otel: Partial<GatewayConfig['otel']> = {}): GatewayConfig {
  const copy = structuredClone(DEFAULT_CONFIG);
  copy.otel = { ...copy.otel, ...otel };
  return copy;
}

describe('resolveTelemetrySettings', () => {
  it('is off without an endpoint, whatever else is set', () => {
    expect(resolveTelemetrySettings(config(), 'axonhub-gateway', { OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
  });

  it('is off with OTEL_SDK_DISABLED=true or otel.sdk_disabled, and the variable wins over the file', () => {
    const withEndpoint = config({ exporter_otlp_endpoint: 'http://collector:4318' });
    expect(resolveTelemetrySettings(withEndpoint, 'a', { OTEL_SDK_DISABLED: 'TRUE' })).toBeUndefined();
    expect(resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://c:4318', sdk_disabled: true }), 'a', {})).toBeUndefined();
    expect(
      resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://c:4318', sdk_disabled: true }), 'a', {
        OTEL_SDK_DISABLED: 'false',
      }),
    ).toBeDefined();
  });

  it('takes the OTEL_* variables over config.yml, appends /v1/traces to a base endpoint, not to the traces one', () => {
    const fromFile = resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://file:4318/' }), 'axonhub-ingress', {});
    expect(fromFile).toMatchObject({ tracesUrl: 'http://file:4318/v1/traces', protocol: 'http/protobuf', serviceName: 'axonhub-ingress' });
    const fromEnv = resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://file:4318' }), 'axonhub-ingress', {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'gw-eu',
    });
    expect(fromEnv).toMatchObject({ tracesUrl: 'http://env:4318/v1/traces', protocol: 'http/json', serviceName: 'gw-eu' });
    const tracesOnly = resolveTelemetrySettings(config(), 'a', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://tempo/otlp/traces' });
    expect(tracesOnly?.tracesUrl).toBe('https://tempo/otlp/traces');
  });

  it('merges resource attributes (the variable over the file) and takes service.name from them before the default', () => {
    const settings = resolveTelemetrySettings(
      config({ exporter_otlp_endpoint: 'http://c:4318', resource_attributes: 'deployment.environment=staging,team=ai' }),
      'axonhub-gateway',
      { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=edge%20gateway' },
    );
    expect(settings?.resourceAttributes).toEqual({ 'deployment.environment': 'prod', team: 'ai', 'service.name': 'edge gateway' });
    expect(settings?.serviceName).toBe('edge gateway');
  });

  it('refuses grpc and odd values with a message naming the setting, and never quotes a header entry', () => {
    expect(() =>
      resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://c:4318' }), 'a', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/http\/protobuf or http\/json, got "grpc"/);
    expect(() => resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'collector:4318' }), 'a', {})).toThrow(
      /otel.exporter_otlp_endpoint/,
    );
    expect(() => resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://c:4318', max_queue_size: 0 }), 'a', {})).toThrow(
      /max_queue_size/,
    );
    expect(() =>
      resolveTelemetrySettings(config({ exporter_otlp_endpoint: 'http://c:4318' }), 'a', { OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2k' }),
    ).toThrow(/OTEL_BSP_MAX_EXPORT_BATCH_SIZE \/ otel.max_export_batch_size must be a whole number from 1 to 1000000, got "2k"/);
    expect(() => parseKeyValueList('Authorization Bearer s3cret', 'otel.exporter_otlp_headers')).toThrow(
      'otel.exporter_otlp_headers: entry 1 is not key=value',
    );
  });

  it('sizes the export queue and batches from OTEL_BSP_* over config.yml, and refuses a batch larger than the queue', () => {
    const endpoint = { exporter_otlp_endpoint: 'http://c:4318' };
    expect(resolveTelemetrySettings(config(endpoint), 'a', {})).toMatchObject({ maxQueueSize: 8192, maxExportBatchSize: 2048 });
    expect(resolveTelemetrySettings(config({ ...endpoint, max_queue_size: 100, max_export_batch_size: 10 }), 'a', {})).toMatchObject({
      maxQueueSize: 100,
      maxExportBatchSize: 10,
    });
    expect(
      resolveTelemetrySettings(config({ ...endpoint, max_queue_size: 100, max_export_batch_size: 10 }), 'a', {
        OTEL_BSP_MAX_QUEUE_SIZE: ' 4096 ',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512',
      }),
    ).toMatchObject({ maxQueueSize: 4096, maxExportBatchSize: 512 });
    expect(() => resolveTelemetrySettings(config({ ...endpoint, max_queue_size: 1000 }), 'a', {})).toThrow(
      'The export batch size (2048) must not exceed the queue size (1000): otel.max_export_batch_size, otel.max_queue_size',
    );
  });
});
