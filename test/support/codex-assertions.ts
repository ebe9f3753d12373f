import { completedItems, type CodexRun } from './codex-runner';

/** Codex ran exactly one `echo <marker>` through its exec tool, saw its output, and ended with `answer`. */
export function expectCodexRanEcho(run: CodexRun, marker: string, answer: string): void {
  const commands = completedItems(run, 'command_execution');
  expect(commands).toHaveLength(1);
  expect(commands[0]).toMatchObject({ status: 'completed', exit_code: 0 });
  expect(String(commands[0]?.['command'])).toContain(`echo ${marker}`);
  expect(String(commands[0]?.['aggregated_output'])).toContain(marker);
  expect(run.lastMessage).toBe(answer);
}
