import { completedItems, describeRun, type CodexRun } from './codex-runner';

/** Codex exited 0 in time; otherwise the run and the gateway's output, for the failure message. */
export function assertCodexSucceeded(run: CodexRun, gatewayOutput: string): void {
  if (run.exitCode !== 0 || run.timedOut) {
    throw new Error(`Codex failed:\n${describeRun(run)}\n--- gateway output ---\n${gatewayOutput.slice(-10_000)}`);
  }
}

/** Codex ran exactly one `echo <marker>` through its exec tool, saw its output, and ended with `answer`. */
export function expectCodexRanEcho(run: CodexRun, marker: string, answer: string): void {
  const commands = completedItems(run, 'command_execution');
  expect(commands).toHaveLength(1);
  expect(commands[0]).toMatchObject({ status: 'completed', exit_code: 0 });
  expect(String(commands[0]?.['command'])).toContain(`echo ${marker}`);
  expect(String(commands[0]?.['aggregated_output'])).toContain(marker);
  expect(run.lastMessage).toBe(answer);
}
