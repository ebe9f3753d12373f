import type { GatewayStartOptions, GatewayUnderTest } from '../../e2e/support/gateway-under-test';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream';
import { countCredentialPieces } from './credential-leaks';
import { cellColumn, FaultRouter, runFaultCell, type FaultCell, type FaultSuiteContext } from './fault-cell';
import { MatrixSummary } from './matrix-summary';
import { RequestLogRows } from './request-log-rows';

/**
 * Short upstream timeouts, so the timeout faults take 1.5 s instead of the defaults' minutes. The header
 * timeout applies to the channels without their own `timeout_ms` (the matrix never uses the slow channel).
 */
export const FAULT_TIMEOUTS: GatewayStartOptions = { config: { upstream: { header_timeout_ms: 1500, body_timeout_ms: 1500 } } };

/** Registers one test per cell against a gateway started by `start`, and prints the fault × path table at the end. */
export function faultMatrix(
  title: string,
  start: (upstream: FakeUpstream, options: GatewayStartOptions) => Promise<GatewayUnderTest>,
  cells: readonly FaultCell[],
): void {
  describe(title, () => {
    const summary = new MatrixSummary(title);
    const router = new FaultRouter();
    let upstream: FakeUpstream | undefined;
    let gateway: GatewayUnderTest | undefined;
    let rows: RequestLogRows | undefined;

    beforeAll(async () => {
      upstream = await startFakeUpstream();
      upstream.script(router.handler);
      gateway = await start(upstream, FAULT_TIMEOUTS);
      rows = await RequestLogRows.connect(await gateway.databaseUrl());
    }, 90_000);
    afterAll(async () => {
      console.log(summary.render());
      await rows?.close();
      await gateway?.stop();
      await upstream?.close();
    }, 30_000);

    const context = (): FaultSuiteContext => {
      if (!gateway || !upstream || !rows) throw new Error(`faults: the gateway did not start for "${title}" (see the beforeAll failure)`);
      return { gateway, upstream, router, rows };
    };

    it('prints no channel key while starting', () => {
      const { gateway: started } = context();
      expect(countCredentialPieces(started.output(), Object.values(started.channelKeys))).toBe(0);
    });

    for (const cell of cells) {
      const name = `${cell.fault.id} | ${cell.path.id} | ${cell.stream ? 'stream' : 'whole'}: ${cell.fault.title}`;
      it(
        name,
        async () => {
          const verdict = await runFaultCell(context(), cell);
          summary.record(cell.fault.id, cellColumn(cell), verdict.failedRequirements);
          verdict.assertAll(name);
        },
        45_000,
      );
    }
  });
}
