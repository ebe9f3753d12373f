import type { ModelRule } from '@gw/contracts';
import { compileRulePattern, isRegexRule } from './model-profile';

/** What is wrong with a profile's rules, naming the rule: `rules[1]: from "gpt-(4" is not a valid regex (...)`. */
export interface RuleProblem {
  /** Index of the offending rule; null when `rules` itself is wrong. */
  index: number | null;
  message: string;
}

/**
 * The first problem of a rule list as a client sent it (unknown shape), or undefined when every rule is an
 * exact name or a regex the data plane will compile. The same compiler as the routing table's, so what is
 * accepted here cannot fail there.
 */
export function findRuleProblem(rules: unknown): RuleProblem | undefined {
  if (!Array.isArray(rules)) return { index: null, message: 'rules must be a list of {"from", "to"}' };
  for (const [index, rule] of (rules as unknown[]).entries()) {
    const label = `rules[${index}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule))
      return { index, message: `${label} must be an object {"from", "to"}` };
    const { from, to } = rule as Partial<Record<string, unknown>>;
    if (typeof from !== 'string' || from.trim() === '') return { index, message: `${label}.from must be a non-empty string` };
    if (typeof to !== 'string' || to.trim() === '') return { index, message: `${label}.to must be a non-empty string` };
    if (!isRegexRule(from)) continue;
    try {
      compileRulePattern(from);
    } catch (error) {
      return { index, message: `${label}: from ${JSON.stringify(from)} is not a valid regex (${(error as Error).message})` };
    }
  }
  return undefined;
}

/** Only `from` and `to`, in that order (what is stored and compared). Call after `findRuleProblem`. */
export function normalizeRules(rules: readonly ModelRule[]): ModelRule[] {
  return rules.map((rule) => ({ from: rule.from, to: rule.to }));
}
