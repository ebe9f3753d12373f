import { withoutNulCharacters } from './request-log.store';

describe('withoutNulCharacters', () => {
  const roundTrip = (value: string): string => JSON.parse(withoutNulCharacters(JSON.stringify(value))) as string;

  it('drops U+0000 and keeps everything around it', () => {
    expect(roundTrip('upstream\u0000 said\u0000\u0000 no')).toBe('upstream said no');
  });

  it('keeps a literal backslash followed by "u0000", which is text and not the character', () => {
    expect(roundTrip('C:\\u0000dir')).toBe('C:\\u0000dir');
    expect(roundTrip('\\\u0000x')).toBe('\\x');
    expect(roundTrip('\\\\\u0000x')).toBe('\\\\x');
  });

  it('returns text without the escape unchanged', () => {
    const json = JSON.stringify({ errorMessage: 'plain', warnings: ['a\\b'] });
    expect(withoutNulCharacters(json)).toBe(json);
  });
});
