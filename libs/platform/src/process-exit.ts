import { Logger } from '@nestjs/common';

export interface ProcessExitPlan {
  /** Runs once, on the first SIGTERM or SIGINT; the process then exits 0 (1 when it fails). */
  shutdown: () => Promise<void>;
  /** A second signal while shutting down: stop waiting for what is still running. */
  hurry?: () => void;
  /**
   * After a fatal error (an uncaught exception or unhandled rejection) or a failed shutdown: what must not
   * outlive this process, e.g. the embedded PostgreSQL. Given EMERGENCY_STOP_MS at most.
   */
  emergencyStop?: () => Promise<void>;
}

const EMERGENCY_STOP_MS = 10_000;

/**
 * One owner for how this process ends: SIGTERM/SIGINT shut down in order and exit 0; a fatal error is
 * logged, the emergency stop runs, and the process exits 1. Nest's own shutdown hooks are not used: they
 * re-raise the signal after closing, which skips a clean exit code, and know nothing of draining.
 */
export function ownProcessExit(plan: ProcessExitPlan, logger = new Logger('Process')): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      logger.warn(`${signal} again: not waiting any longer for requests in flight`);
      plan.hurry?.();
      return;
    }
    shuttingDown = true;
    logger.log(`${signal}: shutting down`);
    plan.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${describe(error)}`);
        void stopAndExit(plan, 1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const onFatal = (error: unknown): void => {
    logger.fatal(`fatal error, exiting: ${describe(error)}`);
    void stopAndExit(plan, 1);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}

async function stopAndExit(plan: ProcessExitPlan, code: number): Promise<never> {
  if (plan.emergencyStop) {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, EMERGENCY_STOP_MS).unref());
    await Promise.race([plan.emergencyStop().catch(() => undefined), timeout]);
  }
  process.exit(code);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
