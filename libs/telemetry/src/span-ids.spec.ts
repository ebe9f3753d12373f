import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { SpanIds } from './span-ids';

describe('SpanIds', () => {
  it('gives valid W3C trace and span ids, lowercase hex, none twice across many pool refills', () => {
    const ids = new SpanIds();
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const traceId = ids.generateTraceId();
      const spanId = ids.generateSpanId();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(isValidTraceId(traceId) && isValidSpanId(spanId)).toBe(true);
      seen.add(traceId).add(spanId);
    }
    expect(seen.size).toBe(4_000);
  });
});
