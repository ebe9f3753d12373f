import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes';

/**
 * Every option any command takes, with one type each: the command line is parsed once against all of them
 * (node:util parseArgs, strict), then the command it names says which of them it accepts. So an option may
 * stand anywhere (`axonhub --json keys list` or `axonhub keys list --json`), and a value is never taken for
 * a command word.
 */
export const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  token: { type: 'string' },
  'token-stdin': { type: 'boolean' },
  user: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  project: { type: 'string' },
  role: { type: 'string' },
  key: { type: 'string', short: 'k' },
  profile: { type: 'string', short: 'p' },
  rule: { type: 'string', multiple: true },
  at: { type: 'string' },
  to: { type: 'string' },
  up: { type: 'boolean' },
  down: { type: 'boolean' },
  none: { type: 'boolean' },
  'expires-at': { type: 'string' },
  'allowed-models': { type: 'string' },
  name: { type: 'string' },
  type: { type: 'string' },
  'base-url': { type: 'string' },
  'api-key': { type: 'string' },
  'api-key-stdin': { type: 'boolean' },
  models: { type: 'string' },
  'timeout-ms': { type: 'string' },
  preset: { type: 'string' },
  'model-map': { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  disabled: { type: 'boolean' },
  model: { type: 'string', short: 'm' },
  channel: { type: 'string' },
  status: { type: 'string' },
  conversation: { type: 'string', short: 'c' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string', short: 'n' },
  cursor: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  interval: { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['help', 'json', 'url'];

export type OptionValues = Partial<Record<OptionName, string | boolean | string[]>>;

export interface ParsedCommandLine {
  /** Positional words in order: command words first, then the command's arguments. */
  words: string[];
  values: OptionValues;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
    return { words: positionals, values: values };
  } catch (error) {
    // parseArgs' own messages name the option ("Unknown option '--kye'"); keep them, drop Node's advice on `--`.
    const message = error instanceof Error ? error.message.split('. To specify')[0]!.trim() : String(error);
    throw new UsageError(message);
  }
}

/** The options given that `allowed` (plus the global ones) does not list, as `--name`. */
export function unexpectedOptions(values: OptionValues, allowed: readonly OptionName[]): string[] {
  return (Object.keys(values) as OptionName[])
    .filter((name) => values[name] !== undefined && !GLOBAL_OPTIONS.includes(name) && !allowed.includes(name))
    .map((name) => `--${name}`);
}

export function stringOption(values: OptionValues, name: OptionName): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} needs a value`);
  return value;
}

export function requiredOption(values: OptionValues, name: OptionName, what = 'is required'): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} ${what}`);
  return value;
}

export function flag(values: OptionValues, name: OptionName): boolean {
  return values[name] === true;
}

export function listOption(values: OptionValues, name: OptionName): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [String(value)]).map(String);
}

/** A whole number in [min, max], or undefined when absent. */
export function integerOption(values: OptionValues, name: OptionName, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`} (got "${text}")`,
    );
  }
  return value;
}

/** `a,b, c` → `['a','b','c']`; empty items dropped. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
