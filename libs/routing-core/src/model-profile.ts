import type { ModelProfile, ModelRule } from '@gw/contracts';

/**
 * A rule's `from` is a regex iff it contains regex syntax other than `.`: model names carry version dots
 * (`gpt-4.1`, `claude-3.5-sonnet`, `gpt-5.6-terra`) and are meant literally, listed on /v1/models like any
 * plain name. A pattern that needs "any character" has other syntax too (`gpt-4\..*`, `o[0-9].*`).
 */
const REGEX_SYNTAX = /[\\^$|?*+()[\]{}]/;

export function isRegexRule(from: string): boolean {
  return REGEX_SYNTAX.test(from);
}

/** The rule's regex, matching the whole model name (`^(?:from)$`). Throws on invalid syntax. */
export function compileRulePattern(from: string): RegExp {
  return new RegExp(`^(?:${from})$`);
}

interface CompiledRule {
  rule: ModelRule;
  /** Anchored at both ends: `gpt-4` must not also capture `gpt-4o`. */
  pattern?: RegExp;
}

export class CompiledProfile {
  private readonly rules: CompiledRule[];

  constructor(readonly profile: ModelProfile) {
    this.rules = profile.rules.map((rule) => ({ rule, pattern: isRegexRule(rule.from) ? compileRulePattern(rule.from) : undefined }));
  }

  /** First matching rule wins; no match passes the name through unchanged. */
  map(model: string): string {
    for (const { rule, pattern } of this.rules) {
      if (pattern ? pattern.test(model) : rule.from === model) return rule.to;
    }
    return model;
  }

  /** Names a client can ask for literally (regex rules cannot be listed). */
  exactSources(): string[] {
    return this.rules.filter((compiled) => !compiled.pattern).map((compiled) => compiled.rule.from);
  }
}
