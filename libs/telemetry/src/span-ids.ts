import { INVALID_SPANID, INVALID_TRACEID } from '@opentelemetry/api';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { randomHex } from '@gw/ir';

/**
 * Trace and span ids from the CSPRNG, through the gateway's pooled random bytes (`randomHex`): the SDK's
 * generator calls `Math.random` four times per trace id and writes each result into a buffer, which was a
 * tenth of what a request's spans cost. W3C Trace Context asks for random ids; an all-zero id is invalid and
 * is never returned.
 */
export class SpanIds implements IdGenerator {
  generateTraceId(): string {
    return nonZeroHex(16, INVALID_TRACEID);
  }

  generateSpanId(): string {
    return nonZeroHex(8, INVALID_SPANID);
  }
}

function nonZeroHex(bytes: number, zero: string): string {
  for (;;) {
    const hex = randomHex(bytes);
    if (hex !== zero) return hex; // all zero: 2^-64 at worst, drawn again
  }
}
