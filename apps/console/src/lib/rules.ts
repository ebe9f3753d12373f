// The routing core's own files, not its index: the index also brings the routing table and its provider presets.
import { isRegexRule } from '../../../../libs/routing-core/src/model-profile';
import { findRuleProblem } from '../../../../libs/routing-core/src/rule-validation';

/** One row of the rule editor: `from` (an exact model name or a regex) mapped to `to`. */
export interface RuleDraft {
  from: string;
  to: string;
}

export type RuleKind = 'exact' | 'regex' | 'empty';

/** The routing core's own test: regex syntax other than `.` makes a regex (model names carry dots). */
export function ruleKind(from: string): RuleKind {
  if (from.trim() === '') return 'empty';
  return isRegexRule(from) ? 'regex' : 'exact';
}

/**
 * Every rule's problem, by index, with the same validator the routing service runs (so what passes here is
 * what the API accepts), plus what it accepts but is surely a mistake: a `from` that an earlier rule
 * already takes, which can never match (the first match wins).
 */
export function ruleProblems(rules: readonly RuleDraft[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const problem = findRuleProblem([rule]);
    if (problem !== undefined) {
      problems.set(index, problem.message.replace(/^rules\[0\]\.?:?\s*/, '').replace(/^(from|to) /, '"$1" '));
      return;
    }
    const earlier = seen.get(rule.from);
    if (earlier !== undefined) problems.set(index, `Rule ${earlier + 1} already maps "${rule.from}"; this one never matches.`);
    else seen.set(rule.from, index);
  });
  return problems;
}

/** The rules with the one at `index` moved `by` places (clamped to the list); a new array. */
export function moveRule<T>(rules: readonly T[], index: number, by: number): T[] {
  const target = Math.max(0, Math.min(rules.length - 1, index + by));
  const moved = [...rules];
  const [rule] = moved.splice(index, 1);
  if (rule === undefined) return moved;
  moved.splice(target, 0, rule);
  return moved;
}

/** Rules parsed from `from=to` lines (pasting a list); blank lines skipped, a line without `=` kept with an empty `to`. */
export function parseRuleLines(text: string): RuleDraft[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.lastIndexOf('=');
      return at === -1 ? { from: line, to: '' } : { from: line.slice(0, at).trim(), to: line.slice(at + 1).trim() };
    });
}
