import type { OptionName, OptionValues } from './command-line';
import type { ExitCodeValue } from './exit-codes';
import type { AdminApi } from './http/admin-client';
import type { Connection } from './session/credentials';
import type { SecretInput } from './session/terminal-input';

/** What a command runs with: output, the admin API, the saved login, secret input, a clock. */
export interface CommandContext {
  /** `--json`: print the API's JSON as is instead of tables. */
  readonly json: boolean;
  /** Bold table headers: stdout is a terminal and NO_COLOR is not set. */
  readonly color: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly urlFlag: string | undefined;
  readonly sessionFile: string;
  readonly input: SecretInput;
  out(text: string): void;
  /** Notes for people (stderr), so stdout stays a clean document for scripts. */
  note(text: string): void;
  /** Where the gateway is and which token to send (flags, env, saved login). */
  connection(): Promise<Connection>;
  /** The admin API with the current token; exit 3 with a hint when there is none. */
  api(): Promise<AdminApi>;
  /** An admin API at `url` without the saved token (login). */
  apiAt(url: string, token?: string): AdminApi;
  now(): Date;
  /** Resolves after `ms`, or at once when the user pressed Ctrl-C (then `interrupted()` is true). */
  sleep(ms: number): Promise<void>;
  interrupted(): boolean;
}

export interface Invocation {
  /** The command's arguments (the words after the command's own). */
  args: string[];
  values: OptionValues;
}

export interface CommandSpec {
  /** The command words, e.g. `['keys', 'list']`. */
  words: readonly string[];
  /** `<key> [--project P]`: shown after the command words in help. */
  usage: string;
  summary: string;
  /** Longer help: what it does, examples. */
  details?: string;
  options: readonly OptionName[];
  args: { min: number; max: number };
  run(context: CommandContext, invocation: Invocation): Promise<ExitCodeValue | void>;
}

/** Prints the API's JSON with `--json`, else what `human` renders. */
export function show(context: CommandContext, value: unknown, human: () => string): void {
  context.out(context.json ? `${JSON.stringify(value, null, 2)}\n` : human());
}
