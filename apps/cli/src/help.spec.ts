import { OPTIONS } from './command-line';
import { COMMANDS } from './commands';
import { UsageError } from './exit-codes';
import { commandHelp, findCommand, topHelp } from './help';

describe('commands and help', () => {
  it('finds two-word commands, one-word commands and groups', () => {
    expect(findCommand(COMMANDS, ['keys', 'list', 'extra'])).toMatchObject({
      kind: 'command',
      spec: { words: ['keys', 'list'] },
      args: ['extra'],
    });
    expect(findCommand(COMMANDS, ['logs', 'show', 'id'])).toMatchObject({
      kind: 'command',
      spec: { words: ['logs', 'show'] },
      args: ['id'],
    });
    expect(findCommand(COMMANDS, ['logs'])).toMatchObject({ kind: 'command', spec: { words: ['logs'] }, args: [] });
    expect(findCommand(COMMANDS, ['dry-run', 'gpt-5'])).toMatchObject({ kind: 'command', args: ['gpt-5'] });
    expect(findCommand(COMMANDS, ['rules'])).toEqual({ kind: 'group', group: 'rules' });
    expect(() => findCommand(COMMANDS, ['keys', 'launch'])).toThrow(UsageError);
    expect(() => findCommand(COMMANDS, ['deploy'])).toThrow(/unknown command "deploy"/);
  });

  it('names every command once, and every option a command takes exists', () => {
    const names = COMMANDS.map((spec) => spec.words.join(' '));
    expect(new Set(names).size).toBe(names.length);
    for (const spec of COMMANDS) for (const option of spec.options) expect(OPTIONS).toHaveProperty(option);
  });

  it('lists every command in the top help, with the exit codes; each has its own help', () => {
    const help = topHelp(COMMANDS);
    for (const spec of COMMANDS) {
      expect(help).toContain(`  ${spec.words.join(' ')} `);
      expect(commandHelp(spec)).toContain(`Usage: axonhub ${spec.words.join(' ')}`);
    }
    expect(help).toContain('Exit codes:');
  });
});
