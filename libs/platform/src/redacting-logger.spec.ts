import { RedactingLogger, setLoggedSecrets } from './redacting-logger';

const KEY = 'prov-7Hc2Lq9ZxV4mN8bT1rY6wE3u';

function captured(write: () => void): string {
  const lines: string[] = [];
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  try {
    write();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.join('');
}

describe('RedactingLogger', () => {
  afterEach(() => setLoggedSecrets([]));

  it('masks the secrets it was told of in messages, objects, errors and stacks, at every level', () => {
    setLoggedSecrets([KEY]);
    const logger = new RedactingLogger(['error', 'warn', 'log']);
    const text = captured(() => {
      logger.log(`upstream said: invalid key ${KEY}`, 'Test');
      logger.warn({ header: `Bearer ${KEY}` }, 'Test');
      const error = new Error(`request with ${KEY} failed`);
      logger.error(error.message, error.stack, 'Test');
    });
    expect(text).toContain('upstream said: invalid key ***');
    expect(text).toContain('failed');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(0, 12));
  });

  it('masks key shapes even before any secret is known', () => {
    const text = captured(() => new RedactingLogger(['log']).log('echo: sk-proj-abcdefghijklmnop', 'Test'));
    expect(text).toContain('sk-***');
    expect(text).not.toContain('abcdefghijklmnop');
  });
});
