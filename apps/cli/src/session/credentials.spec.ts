import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forgetSession, loadSession, resolveConnection, saveSession, sessionFile, type SavedSession } from './credentials';

const saved: SavedSession = { url: 'http://saved:8090', token: 'ahadm-saved', method: 'token', saved_at: '2026-12-05T00:00:00.000Z' };

describe('sessionFile', () => {
  it('lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(sessionFile({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x/axonhub/cli.json');
    expect(sessionFile({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/axonhub/cli.json');
    expect(sessionFile({}, '/home/u')).toBe('/home/u/.config/axonhub/cli.json');
  });
});

describe('resolveConnection', () => {
  it('--url over AXONHUB_URL over the saved URL over the default', () => {
    expect(resolveConnection('http://flag', { AXONHUB_URL: 'http://env' }, saved).url).toBe('http://flag');
    expect(resolveConnection(undefined, { AXONHUB_URL: 'http://env' }, saved).url).toBe('http://env');
    expect(resolveConnection(undefined, {}, saved).url).toBe('http://saved:8090');
    expect(resolveConnection(undefined, {}, undefined).url).toBe('http://127.0.0.1:8090');
  });

  it('AXONHUB_ADMIN_TOKEN over the saved token; none without either', () => {
    expect(resolveConnection(undefined, { AXONHUB_ADMIN_TOKEN: 'ahadm-env' }, saved)).toMatchObject({
      token: 'ahadm-env',
      tokenSource: 'env',
    });
    expect(resolveConnection(undefined, { AXONHUB_ADMIN_TOKEN: '' }, saved)).toMatchObject({ token: 'ahadm-saved', tokenSource: 'file' });
    expect(resolveConnection(undefined, {}, undefined)).toMatchObject({ token: undefined, tokenSource: 'none' });
  });
});

describe('saved login file', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'axonhub-cli-unit-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('is written 0600 in a 0700 folder, read back, and forgotten', async () => {
    const file = join(directory, 'axonhub', 'cli.json');
    await writeFile(join(directory, 'unrelated'), '');
    await saveSession(file, saved);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'axonhub'))).mode & 0o777).toBe(0o700);
    expect(await loadSession(file)).toEqual(saved);
    expect(await forgetSession(file)).toBe(true);
    expect(await loadSession(file)).toBeUndefined();
    expect(await forgetSession(file)).toBe(false);
  });

  it('makes an existing file 0600 again when it saves', async () => {
    const file = join(directory, 'cli.json');
    await writeFile(file, '{}', { mode: 0o644 });
    await saveSession(file, saved);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(saved);
  });

  it('says what to do with a file that is not a saved login', async () => {
    const file = join(directory, 'cli.json');
    await writeFile(file, 'not json');
    await expect(loadSession(file)).rejects.toThrow(/axonhub login/);
  });
});
