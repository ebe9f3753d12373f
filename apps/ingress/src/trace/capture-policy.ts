import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG } from '@gw/contracts';
import type { RoutingTable } from '@gw/routing-core';
import { BodyCapture } from './body-capture';

/**
 * Whether a request's bodies are captured: `server.trace.capture.enabled`, overridden per project by the
 * project's `capture_bodies`, which ingress reads from the routing snapshot it already holds (no network
 * call on a request). When capture is off everywhere, a request pays one comparison and one boolean check.
 */
@Injectable()
export class CapturePolicy {
  readonly maxBytes: number;
  readonly patterns: readonly RegExp[];
  private readonly enabledByConfig: boolean;
  /** The table the fields below were read from: recomputed when the snapshot changes, not per request. */
  private table?: RoutingTable;
  private anyOn: boolean;
  private overrides: Readonly<Record<string, boolean>> = {};

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const capture = config.server.trace.capture;
    this.enabledByConfig = capture.enabled;
    this.anyOn = capture.enabled;
    this.maxBytes = capture.max_body_bytes;
    this.patterns = capture.redact_patterns.map((pattern) => new RegExp(pattern, 'g'));
  }

  /** A capture for this request's bodies, or undefined when capture is off for its project. */
  forRequest(projectId: string, table: RoutingTable): BodyCapture | undefined {
    if (table !== this.table) this.read(table);
    if (!this.anyOn) return undefined;
    return (this.overrides[projectId] ?? this.enabledByConfig) ? new BodyCapture(this.maxBytes) : undefined;
  }

  private read(table: RoutingTable): void {
    this.table = table;
    this.overrides = table.snapshot.captureBodies ?? {};
    this.anyOn = this.enabledByConfig || Object.values(this.overrides).includes(true);
  }
}
