import { metrics, trace } from '@opentelemetry/api';
import { loadConfig } from '@gw/config';
import { activeTelemetry, startTelemetry } from './telemetry';

describe('startTelemetry', () => {
  it('starts tracing only: no OTLP metrics exporter of the SDK (metrics are /metrics), and stops cleanly', async () => {
    const telemetry = startTelemetry(loadConfig([], {}), 'axonhub-test', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    try {
      expect(telemetry).toBeDefined();
      expect(activeTelemetry()).toBe(telemetry);
      // The SDK registers a MeterProvider (and its OTLP metric reader) only when it has readers.
      expect(metrics.getMeterProvider().constructor.name).not.toBe('MeterProvider');
      expect(trace.getTracerProvider()).not.toBe(undefined);
      expect(telemetry!.ids.generateTraceId()).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await telemetry?.shutdown();
    }
    expect(activeTelemetry()).toBeUndefined();
  });
});
