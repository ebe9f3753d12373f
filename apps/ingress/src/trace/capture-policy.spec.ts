import { DEFAULT_CONFIG, type GatewayConfig } from '@gw/config';
import type { RoutingSnapshot } from '@gw/contracts';
import { RoutingTable } from '@gw/routing-core';
import { CapturePolicy } from './capture-policy';

const PROJECT_A = '00000000-0000-4000-8000-00000000000a';
const PROJECT_B = '00000000-0000-4000-8000-00000000000b';

function policy(enabled: boolean): CapturePolicy {
  const config: GatewayConfig = structuredClone(DEFAULT_CONFIG);
  config.server.trace.capture.enabled = enabled;
  return new CapturePolicy(config);
}

function table(captureBodies?: Record<string, boolean>): RoutingTable {
  const snapshot: RoutingSnapshot = { version: 1, channels: [], profiles: {} };
  if (captureBodies) snapshot.captureBodies = captureBodies;
  return new RoutingTable(snapshot);
}

describe('CapturePolicy', () => {
  it('follows the config when no project overrides it', () => {
    expect(policy(false).forRequest(PROJECT_A, table())).toBeUndefined();
    expect(policy(true).forRequest(PROJECT_A, table({}))).toBeDefined();
  });

  it("lets a project's override win either way", () => {
    const overrides = table({ [PROJECT_A]: true });
    expect(policy(false).forRequest(PROJECT_A, overrides)).toBeDefined();
    expect(policy(false).forRequest(PROJECT_B, overrides)).toBeUndefined();
    const off = table({ [PROJECT_A]: false });
    expect(policy(true).forRequest(PROJECT_A, off)).toBeUndefined();
    expect(policy(true).forRequest(PROJECT_B, off)).toBeDefined();
  });

  it('reads the overrides of each new snapshot', () => {
    const capture = policy(false);
    expect(capture.forRequest(PROJECT_A, table())).toBeUndefined();
    expect(capture.forRequest(PROJECT_A, table({ [PROJECT_A]: true }))).toBeDefined();
    expect(capture.forRequest(PROJECT_A, table({ [PROJECT_A]: false }))).toBeUndefined();
  });
});
