/** Characters that make a rule's `from` a regex rather than an exact model name. */
const REGEX_SYNTAX = /[\\^$.|?*+()[\]{}]/;

export function isModelRulePattern(from: string): boolean {
  return REGEX_SYNTAX.test(from);
}

/** A pattern always matches the whole model name, as if written `^(?:from)$`. */
export function compileModelRulePattern(from: string): RegExp {
  return new RegExp(`^(?:${from})$`);
}
