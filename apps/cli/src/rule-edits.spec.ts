import { ExitCode, type CliError } from './exit-codes';
import { findRule, insertRule, moveRule, parseRuleArgument, removeRule, type Rule } from './rule-edits';

const rules: Rule[] = [
  { from: 'gpt-5', to: 'deepseek-chat' },
  { from: 'o[0-9]+', to: 'deepseek-reasoner' },
  { from: 'gpt-4.1', to: 'deepseek-chat' },
];
const froms = (list: Rule[]): string[] => list.map((rule) => rule.from);

function exitCodeOf(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    return (error as CliError).exitCode;
  }
  return undefined;
}

describe('parseRuleArgument', () => {
  it('splits FROM=TO at the last = (a regex may hold a lookahead)', () => {
    expect(parseRuleArgument('gpt-5=deepseek-chat')).toEqual({ from: 'gpt-5', to: 'deepseek-chat' });
    expect(parseRuleArgument('gpt-(?=5)=x')).toEqual({ from: 'gpt-(?=5)', to: 'x' });
  });

  it('refuses a rule without both sides (usage)', () => {
    for (const text of ['gpt-5', '=x', 'x=']) expect(exitCodeOf(() => parseRuleArgument(text))).toBe(ExitCode.usage);
  });
});

describe('ordered rule edits', () => {
  it('inserts at a 1-based position, at the end by default', () => {
    const rule = { from: 'new', to: 'm' };
    expect(froms(insertRule(rules, rule, '1'))).toEqual(['new', 'gpt-5', 'o[0-9]+', 'gpt-4.1']);
    expect(froms(insertRule(rules, rule, '4'))).toEqual(['gpt-5', 'o[0-9]+', 'gpt-4.1', 'new']);
    expect(froms(insertRule(rules, rule))).toEqual(['gpt-5', 'o[0-9]+', 'gpt-4.1', 'new']);
    expect(exitCodeOf(() => insertRule(rules, rule, '5'))).toBe(ExitCode.invalid);
    expect(exitCodeOf(() => insertRule(rules, rule, '0'))).toBe(ExitCode.usage);
    expect(froms(rules)).toEqual(['gpt-5', 'o[0-9]+', 'gpt-4.1']); // never edited in place
  });

  it('finds a rule by position or by its exact FROM', () => {
    expect(findRule(rules, '2')).toBe(1);
    expect(findRule(rules, 'gpt-4.1')).toBe(2);
    expect(exitCodeOf(() => findRule(rules, '4'))).toBe(ExitCode.notFound);
    expect(exitCodeOf(() => findRule(rules, 'gpt-4'))).toBe(ExitCode.notFound);
    expect(exitCodeOf(() => findRule([...rules, { from: 'gpt-5', to: 'x' }], 'gpt-5'))).toBe(ExitCode.invalid);
  });

  it('removes one rule', () => {
    expect(froms(removeRule(rules, 'o[0-9]+'))).toEqual(['gpt-5', 'gpt-4.1']);
    expect(froms(removeRule(rules, '1'))).toEqual(['o[0-9]+', 'gpt-4.1']);
  });

  it('moves a rule up, down or to a position', () => {
    expect(froms(moveRule(rules, '2', { up: true }))).toEqual(['o[0-9]+', 'gpt-5', 'gpt-4.1']);
    expect(froms(moveRule(rules, 'gpt-5', { down: true }))).toEqual(['o[0-9]+', 'gpt-5', 'gpt-4.1']);
    expect(froms(moveRule(rules, '1', { to: '3' }))).toEqual(['o[0-9]+', 'gpt-4.1', 'gpt-5']);
    expect(froms(moveRule(rules, 'gpt-4.1', { to: '1' }))).toEqual(['gpt-4.1', 'gpt-5', 'o[0-9]+']);
  });

  it('refuses moves past either end and unclear targets', () => {
    expect(exitCodeOf(() => moveRule(rules, '1', { up: true }))).toBe(ExitCode.invalid);
    expect(exitCodeOf(() => moveRule(rules, '3', { down: true }))).toBe(ExitCode.invalid);
    expect(exitCodeOf(() => moveRule(rules, '1', { to: '4' }))).toBe(ExitCode.invalid);
    expect(exitCodeOf(() => moveRule(rules, '1', {}))).toBe(ExitCode.usage);
    expect(exitCodeOf(() => moveRule(rules, '1', { up: true, to: '2' }))).toBe(ExitCode.usage);
  });
});
