import { parseCommandLine, stringOption, unexpectedOptions } from './command-line';
import type { CommandContext, CommandSpec, Invocation } from './command';
import { COMMANDS } from './commands';
import { CliError, ExitCode, UsageError, type ExitCodeValue } from './exit-codes';
import { commandHelp, findCommand, groupHelp, topHelp } from './help';
import { HttpAdminApi } from './http/admin-client';
import { adminBaseUrl } from './http/admin-request';
import { loadSession, resolveConnection, sessionFile } from './session/credentials';
import type { SecretInput } from './session/terminal-input';

/** The process around the CLI: streams, environment, Ctrl-C. Injected, so tests can run the CLI in-process too. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  stdoutIsTerminal: boolean;
  input: SecretInput;
  /** Called with a handler for Ctrl-C; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  now?(): Date;
}

/** Runs one command line; resolves with the exit code (never throws). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  let json = argv.includes('--json');
  try {
    const { words, values } = parseCommandLine(argv);
    json = values.json === true;
    const asksHelp = values.help === true || words[0] === 'help';
    const commandWords = words[0] === 'help' ? words.slice(1) : words;
    if (commandWords.length === 0) {
      (asksHelp ? io.out : io.err)(topHelp(COMMANDS));
      return asksHelp ? ExitCode.ok : ExitCode.usage;
    }
    const match = findCommand(COMMANDS, commandWords);
    if (match.kind === 'group') {
      (asksHelp ? io.out : io.err)(groupHelp(COMMANDS, match.group));
      return asksHelp ? ExitCode.ok : ExitCode.usage;
    }
    if (asksHelp) {
      io.out(commandHelp(match.spec));
      return ExitCode.ok;
    }
    const invocation: Invocation = { args: match.args, values };
    checkInvocation(match.spec, invocation);
    const outcome = await match.spec.run(commandContext(io, json, stringOption(values, 'url')), invocation);
    return outcome ?? ExitCode.ok;
  } catch (error) {
    return report(io, error, json);
  }
}

function checkInvocation(spec: CommandSpec, { args, values }: Invocation): void {
  const name = `axonhub ${spec.words.join(' ')}`;
  const extra = unexpectedOptions(values, spec.options);
  if (extra.length > 0) throw new UsageError(`${name} does not take ${extra.join(', ')} (usage: ${name} ${spec.usage})`);
  if (args.length < spec.args.min || args.length > spec.args.max) {
    const given = args.length === 0 ? 'no arguments' : `${args.length} argument(s): ${args.join(' ')}`;
    throw new UsageError(`${name} got ${given} (usage: ${name} ${spec.usage})`);
  }
}

function report(io: CliIo, error: unknown, json: boolean): ExitCodeValue {
  if (error instanceof CliError) {
    if (json && error.envelope !== undefined) io.err(`${JSON.stringify(error.envelope)}\n`);
    else io.err(`axonhub: ${error.message}\n`);
    if (error instanceof UsageError) io.err('Run "axonhub --help" (or "axonhub <command> --help") for usage.\n');
    else if (!json && (error.envelope as { error?: { code?: unknown } } | undefined)?.error?.code === 'unauthorized') {
      io.err('"axonhub whoami" shows which token is in use; "axonhub login" saves another.\n');
    }
    return error.exitCode;
  }
  io.err(`axonhub: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.failure;
}

function commandContext(io: CliIo, json: boolean, urlFlag: string | undefined): CommandContext {
  const file = sessionFile(io.env);
  let interrupted = false;
  let wake: (() => void) | undefined;
  let removeHandler: (() => void) | undefined;
  const connection = async (): Promise<ReturnType<typeof resolveConnection>> => resolveConnection(urlFlag, io.env, await loadSession(file));
  return {
    json,
    color: io.stdoutIsTerminal && !json && (io.env.NO_COLOR ?? '') === '',
    env: io.env,
    urlFlag,
    sessionFile: file,
    input: io.input,
    out: io.out,
    note: io.err,
    connection,
    async api() {
      const { url, token } = await connection();
      if (token === undefined) {
        throw new CliError(
          `not logged in: run "axonhub login --url ${url} --token <admin token>" or set AXONHUB_ADMIN_TOKEN`,
          ExitCode.auth,
        );
      }
      return new HttpAdminApi(adminBaseUrl(url), token);
    },
    apiAt: (url, token) => new HttpAdminApi(adminBaseUrl(url), token),
    now: () => (io.now === undefined ? new Date() : io.now()),
    sleep(ms) {
      // The first sleep makes Ctrl-C a clean stop (exit 0) instead of the default kill.
      removeHandler ??= io.onInterrupt(() => {
        interrupted = true;
        wake?.();
      });
      return new Promise((resolve) => {
        if (interrupted) return resolve();
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    interrupted: () => interrupted,
  };
}
