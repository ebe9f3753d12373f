import { findRuleProblem, normalizeRules } from './rule-validation';

describe('findRuleProblem', () => {
  it('accepts exact names and valid regexes', () => {
    expect(
      findRuleProblem([
        { from: 'gpt-4', to: 'deepseek-chat' },
        { from: 'gpt-3\\.5.*', to: 'deepseek-chat' },
      ]),
    ).toBeUndefined();
    expect(findRuleProblem([])).toBeUndefined();
  });

  it('names the rule whose regex does not compile', () => {
    const problem = findRuleProblem([
      { from: 'gpt-4', to: 'a' },
      { from: 'gpt-(4', to: 'b' },
    ]);
    expect(problem?.index).toBe(1);
    expect(problem?.message).toMatch(/^rules\[1\]: from "gpt-\(4" is not a valid regex \(/);
  });

  it('refuses rules that are not a list of {from, to} strings', () => {
    expect(findRuleProblem({ from: 'a', to: 'b' })).toEqual({ index: null, message: 'rules must be a list of {"from", "to"}' });
    expect(findRuleProblem(['gpt-4'])?.message).toBe('rules[0] must be an object {"from", "to"}');
    expect(
      findRuleProblem([
        { from: 'a', to: 'b' },
        { from: ' ', to: 'b' },
      ]),
    ).toEqual({ index: 1, message: 'rules[1].from must be a non-empty string' });
    expect(findRuleProblem([{ from: 'a', to: 7 }])?.message).toBe('rules[0].to must be a non-empty string');
  });
});

describe('normalizeRules', () => {
  it('keeps only from and to, in order', () => {
    const rules = [{ to: 'b', from: 'a', note: 'x' } as unknown as { from: string; to: string }];
    expect(JSON.stringify(normalizeRules(rules))).toBe('{"from":"a","to":"b"}'.replace(/^/, '[').concat(']'));
  });
});
