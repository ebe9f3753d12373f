import { moveRule, parseRuleLines, ruleKind, ruleProblems } from './rules';

describe('profile rules in the editor', () => {
  it('tells exact names from regexes as the routing core does (dots are literal)', () => {
    expect(ruleKind('gpt-4.1')).toBe('exact');
    expect(ruleKind('gpt-4.*')).toBe('regex');
    expect(ruleKind('o[0-9]')).toBe('regex');
    expect(ruleKind('  ')).toBe('empty');
  });

  it('names the problem of each rule at its own index, with the validator the API runs', () => {
    const problems = ruleProblems([
      { from: 'gpt-5', to: 'deepseek-chat' },
      { from: 'gpt-(4', to: 'deepseek-chat' },
      { from: 'o3', to: '' },
      { from: '', to: 'x' },
    ]);
    expect([...problems.keys()]).toEqual([1, 2, 3]);
    expect(problems.get(1)).toMatch(/^"from" "gpt-\(4" is not a valid regex/);
    expect(problems.get(2)).toBe('"to" must be a non-empty string');
    expect(problems.get(3)).toBe('"from" must be a non-empty string');
  });

  it('flags a rule an earlier one shadows (the first match wins, so it never applies)', () => {
    const problems = ruleProblems([
      { from: 'gpt-5', to: 'a' },
      { from: 'gpt-5', to: 'b' },
    ]);
    expect(problems.get(1)).toBe('Rule 1 already maps "gpt-5"; this one never matches.');
    expect(ruleProblems([{ from: 'gpt-5', to: 'a' }]).size).toBe(0);
  });

  it('moves a rule up or down, clamped at the ends, without touching the original list', () => {
    const rules = ['a', 'b', 'c'];
    expect(moveRule(rules, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(rules, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveRule(rules, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveRule(rules, 2, 5)).toEqual(['a', 'b', 'c']);
    expect(rules).toEqual(['a', 'b', 'c']);
  });

  it('parses pasted from=to lines, the last "=" splitting (a regex may contain one)', () => {
    expect(parseRuleLines('gpt-5 = deepseek-chat\n\n(?=x).* = y\nbare')).toEqual([
      { from: 'gpt-5', to: 'deepseek-chat' },
      { from: '(?=x).*', to: 'y' },
      { from: 'bare', to: '' },
    ]);
  });
});
