import type { Provider } from '@nestjs/common';
import { MetricsRegistry } from '@gw/metrics';
import { registerProcessMetrics } from './process-metrics';
import { registerSpanExportMetrics } from './span-export-metrics';

/** DI token of the process's one MetricsRegistry (PlatformModule provides it; embedded mode shares it across the four apps). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

export const metricsRegistryProvider: Provider = {
  provide: METRICS_REGISTRY,
  useFactory: () => {
    const registry = new MetricsRegistry();
    registerProcessMetrics(registry);
    registerSpanExportMetrics(registry);
    return registry;
  },
};
