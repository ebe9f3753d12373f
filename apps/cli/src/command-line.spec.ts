import { commaList, integerOption, parseCommandLine, unexpectedOptions } from './command-line';
import { ExitCode, UsageError } from './exit-codes';

describe('parseCommandLine', () => {
  it('takes options anywhere and keeps command words and arguments in order', () => {
    const parsed = parseCommandLine(['--json', 'rules', 'add', 'gpt-5', '-k', 'codex', 'deepseek-chat', '--profile=fast', '--at', '1']);
    expect(parsed.words).toEqual(['rules', 'add', 'gpt-5', 'deepseek-chat']);
    expect(parsed.values).toEqual({ json: true, key: 'codex', profile: 'fast', at: '1' });
  });

  it('collects a repeated --rule, and takes a value that starts like a command word', () => {
    const parsed = parseCommandLine(['profiles', 'create', 'p', '--rule', 'a=b', '--rule', 'c=d', '--key', 'keys']);
    expect(parsed.values.rule).toEqual(['a=b', 'c=d']);
    expect(parsed.words).toEqual(['profiles', 'create', 'p']);
  });

  it('treats what follows -- as arguments', () => {
    expect(parseCommandLine(['dry-run', '--key', 'k', '--', '--odd-model']).words).toEqual(['dry-run', '--odd-model']);
  });

  it('refuses unknown options and missing values as usage errors (exit 2)', () => {
    for (const argv of [
      ['keys', 'list', '--kye', 'x'],
      ['keys', 'list', '--key'],
    ]) {
      let caught: unknown;
      try {
        parseCommandLine(argv);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as UsageError).exitCode).toBe(ExitCode.usage);
      expect((caught as Error).message).toContain('--k');
    }
  });
});

describe('option helpers', () => {
  it('lists the options a command does not take, never the global ones', () => {
    expect(unexpectedOptions({ json: true, url: 'u', rule: ['a=b'], key: 'k' }, ['key'])).toEqual(['--rule']);
  });

  it('reads whole numbers within bounds only', () => {
    expect(integerOption({ limit: '50' }, 'limit', 1, 200)).toBe(50);
    expect(integerOption({}, 'limit', 1, 200)).toBeUndefined();
    for (const text of ['0', '201', '1.5', 'ten', '']) expect(() => integerOption({ limit: text }, 'limit', 1, 200)).toThrow(UsageError);
  });

  it('splits comma lists and drops empty items', () => {
    expect(commaList(' a, b,,c ')).toEqual(['a', 'b', 'c']);
  });
});
