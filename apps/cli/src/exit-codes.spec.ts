import { EXIT_CODE_HELP, ExitCode, exitCodeForStatus } from './exit-codes';

describe('exit codes', () => {
  it.each([
    [401, 3],
    [403, 3],
    [404, 4],
    [400, 5],
    [409, 5],
    [503, 6],
    [502, 6],
    [504, 6],
    [500, 1],
    [418, 1],
  ])('HTTP %i exits %i', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it('documents every code it uses', () => {
    for (const code of Object.values(ExitCode)) expect(EXIT_CODE_HELP).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'));
  });
});
