import { CliError, ExitCode, UsageError } from './exit-codes';

/** A profile rule as the API has it: `from` an exact model name or an anchored regex, `to` the model sent upstream. */
export interface Rule {
  from: string;
  to: string;
}

/**
 * Ordered rule edits (the first match wins, so order matters). The API replaces a profile's rules as a
 * whole (PUT); the CLI reads them, edits the list here, and writes it back. Positions are 1-based, as
 * `rules list` numbers them.
 */

/** `FROM=TO`, split at the last `=` (a regex may hold `(?=`; model names do not hold `=`). */
export function parseRuleArgument(text: string): Rule {
  const at = text.lastIndexOf('=');
  const from = at < 0 ? '' : text.slice(0, at);
  const to = at < 0 ? '' : text.slice(at + 1);
  if (from === '' || to === '') throw new UsageError(`a rule is FROM=TO, e.g. gpt-5=deepseek-chat (got "${text}")`);
  return { from, to };
}

function positionArgument(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`${option} is a rule position from 1 (got "${text}")`);
  return Number(text);
}

/** A position argument's syntax, checked before anything is sent. */
export function checkPosition(text: string | undefined, option: string): void {
  if (text !== undefined) positionArgument(text, option);
}

/** Inserts at `position` (1 = first; default: last). */
export function insertRule(rules: readonly Rule[], rule: Rule, position?: string): Rule[] {
  const at = position === undefined ? rules.length + 1 : positionArgument(position, '--at');
  if (at > rules.length + 1)
    throw new CliError(`--at ${at}: the profile has ${rules.length} rule(s), so at most ${rules.length + 1}`, ExitCode.invalid);
  return [...rules.slice(0, at - 1), rule, ...rules.slice(at - 1)];
}

/** The 0-based index of the rule a user named: its position, else its exact `from`. */
export function findRule(rules: readonly Rule[], selector: string): number {
  if (/^\d+$/.test(selector)) {
    const position = Number(selector);
    if (position >= 1 && position <= rules.length) return position - 1;
    throw new CliError(`no rule ${position}: the profile has ${rules.length} rule(s)`, ExitCode.notFound);
  }
  const matches = rules.flatMap((rule, index) => (rule.from === selector ? [index] : []));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) throw new CliError(`no rule from "${selector}" in the profile`, ExitCode.notFound);
  throw new CliError(
    `${matches.length} rules are from "${selector}" (positions ${matches.map((index) => index + 1).join(', ')}): name one by position`,
    ExitCode.invalid,
  );
}

export function removeRule(rules: readonly Rule[], selector: string): Rule[] {
  const index = findRule(rules, selector);
  return rules.filter((_, other) => other !== index);
}

export interface MoveTarget {
  to?: string;
  up?: boolean;
  down?: boolean;
}

export function checkMoveTarget(target: MoveTarget): void {
  const given = [target.to !== undefined, target.up === true, target.down === true].filter(Boolean).length;
  if (given !== 1) throw new UsageError('say where to: --to N, --up or --down (one of them)');
  checkPosition(target.to, '--to');
}

/** Moves one rule to position `to`, or one place up (earlier, matched first) or down. */
export function moveRule(rules: readonly Rule[], selector: string, target: MoveTarget): Rule[] {
  checkMoveTarget(target);
  const from = findRule(rules, selector);
  let to: number;
  if (target.to !== undefined) {
    to = positionArgument(target.to, '--to') - 1;
    if (to >= rules.length) throw new CliError(`--to ${to + 1}: the profile has ${rules.length} rule(s)`, ExitCode.invalid);
  } else {
    to = target.up === true ? from - 1 : from + 1;
    if (to < 0 || to >= rules.length) throw new CliError(`rule ${from + 1} is already the ${to < 0 ? 'first' : 'last'}`, ExitCode.invalid);
  }
  const moved = rules.filter((_, index) => index !== from);
  moved.splice(to, 0, rules[from]!);
  return moved;
}
