import { REDACTED, SecretRedactor, redactKeyShapes } from './redaction';

const KEY = 'sk-proj-Q3vX9mK2pL7nR4tY8wZ1aB5cD6eF0gH2';
const AZURE_STYLE = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

describe('SecretRedactor', () => {
  const redactor = new SecretRedactor([KEY, AZURE_STYLE]);

  it('masks a secret quoted whole, wherever it stands', () => {
    expect(redactor.redact(`Invalid key ${KEY}.`)).toBe(`Invalid key ${REDACTED}.`);
    expect(redactor.redact(`{"message":"key=${AZURE_STYLE}"}`)).toBe(`{"message":"key=${REDACTED}"}`);
  });

  it('masks the echoed Authorization header, in any casing of the scheme', () => {
    const out = redactor.redact(`headers: {"authorization":"bearer ${AZURE_STYLE}x"}`);
    expect(out).not.toContain(AZURE_STYLE);
    expect(out).toContain('bearer ***');
  });

  it("masks fragments: a provider's partly starred echo and a key glued to other text", () => {
    const starred = redactor.redact(`Incorrect API key provided: ${KEY.slice(0, 12)}****${KEY.slice(-4)}.`);
    expect(starred).not.toContain(KEY.slice(0, 12));
    const glued = redactor.redact(`token=abc${AZURE_STYLE.slice(4, 24)}zzz end`);
    expect(glued).not.toContain(AZURE_STYLE.slice(4, 24));
    expect(glued).toContain('end');
  });

  it('leaves text that shares nothing with a secret alone', () => {
    const text = 'The model `gpt-4o-mini` is overloaded; retry in 20 seconds (request req_0123456789abcdef).';
    expect(redactor.redact(text)).toBe(text);
  });

  it('finds a whole secret in bytes and masks it, keeping JSON valid', () => {
    const bytes = Buffer.from(JSON.stringify({ error: { message: `bad key ${KEY}` } }));
    expect(redactor.appearsIn(bytes)).toBe(true);
    const masked = redactor.redactBytes(bytes);
    expect(redactor.appearsIn(masked)).toBe(false);
    expect(JSON.parse(masked.toString())).toEqual({ error: { message: `bad key ${REDACTED}` } });
    expect(redactor.appearsIn(Buffer.from('{"ok":true}'))).toBe(false);
  });

  it('ignores secrets too short to search for without false matches', () => {
    expect(new SecretRedactor(['abc', undefined]).redact('abc abc')).toBe('abc abc');
  });
});

describe('redactKeyShapes', () => {
  it('masks API-key shapes without knowing the key', () => {
    expect(redactKeyShapes('keys sk-abc123def456 and AIzaSyA1234567890abcdefghij; task-1234 stays')).toBe(
      'keys sk-*** and ***; task-1234 stays',
    );
  });
});
