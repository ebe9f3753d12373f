import type { CommandSpec } from './command';
import { EXIT_CODE_HELP } from './exit-codes';
import { UsageError } from './exit-codes';

/** Finding the command a command line names, and the help texts. */

export type CommandMatch = { kind: 'command'; spec: CommandSpec; args: string[] } | { kind: 'group'; group: string };

/** Two command words first (`keys list`), then one (`logs`, `login`); a group word alone asks for its help. */
export function findCommand(commands: readonly CommandSpec[], words: readonly string[]): CommandMatch {
  const [first, second] = words;
  if (first === undefined) throw new UsageError('no command given');
  const pair = commands.find((spec) => spec.words.length === 2 && spec.words[0] === first && spec.words[1] === second);
  if (pair !== undefined) return { kind: 'command', spec: pair, args: words.slice(2) };
  const single = commands.find((spec) => spec.words.length === 1 && spec.words[0] === first);
  if (single !== undefined) return { kind: 'command', spec: single, args: words.slice(1) };
  const inGroup = commands.filter((spec) => spec.words.length === 2 && spec.words[0] === first);
  if (inGroup.length === 0) throw new UsageError(`unknown command "${first}" (axonhub --help lists them)`);
  if (second === undefined) return { kind: 'group', group: first };
  throw new UsageError(`unknown command "${first} ${second}"; ${first} takes: ${inGroup.map((spec) => spec.words[1]).join(', ')}`);
}

const GLOBAL_HELP = `Options for every command:
  --json        print the admin API's JSON as is (one document; logs --follow: one object per line)
  --url URL     the gateway (default: AXONHUB_URL, the saved login, http://127.0.0.1:8090)
  -h, --help    help for a command

Environment: AXONHUB_URL and AXONHUB_ADMIN_TOKEN override the saved login.`;

export function topHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((spec) => spec.words.join(' ').length));
  const lines = commands.map((spec) => `  ${spec.words.join(' ').padEnd(width)}  ${spec.summary}`);
  return `axonhub: manage an AxonHub gateway through its admin API (/admin/v1)

Usage: axonhub <command> [arguments] [options]

Start:
  axonhub login --url http://127.0.0.1:8090 --token "$AXONHUB_ADMIN_TOKEN"
  axonhub channels add deepseek --type openai --base-url https://api.deepseek.com/v1 --models deepseek-chat
  axonhub keys create codex
  axonhub profiles create fast --key codex --rule gpt-5=deepseek-chat
  axonhub profiles use fast --key codex
  axonhub logs --key codex --follow

Commands:
${lines.join('\n')}

Keys are named by name or id (--project picks among keys of the same name in several projects).

${GLOBAL_HELP}

${EXIT_CODE_HELP}
`;
}

export function commandHelp(spec: CommandSpec): string {
  const usage = `axonhub ${spec.words.join(' ')}${spec.usage === '' ? '' : ` ${spec.usage}`}`;
  return `Usage: ${usage}

${spec.summary}.
${spec.details === undefined ? '' : `\n${spec.details}\n`}
${GLOBAL_HELP}

${EXIT_CODE_HELP}
`;
}

export function groupHelp(commands: readonly CommandSpec[], group: string): string {
  const members = commands.filter((spec) => spec.words[0] === group);
  return `Usage:
${members.map((spec) => `  axonhub ${spec.words.join(' ')}${spec.usage === '' ? '' : ` ${spec.usage}`}\n      ${spec.summary}`).join('\n')}

"axonhub ${group} <command> --help" says more.
`;
}
