import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAssets } from './console-assets';
import { consolePath } from './console.controller';

describe('ConsoleAssets', () => {
  let directory: string;
  let outside: string;
  let assets: ConsoleAssets;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'console-assets-'));
    outside = await mkdtemp(join(tmpdir(), 'console-outside-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(directory, 'assets', 'index-3f2a.js'), 'console.log(1)');
    await writeFile(join(directory, 'assets', 'index-9c1d.css'), 'body{}');
    await writeFile(join(directory, 'favicon.svg'), '<svg/>');
    await writeFile(join(outside, 'secret.txt'), 'not for the browser');
    await symlink(join(outside, 'secret.txt'), join(directory, 'linked.txt'));
    assets = (await ConsoleAssets.load(directory))!;
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves each built file with its content type; hashed assets are cached for good, the rest revalidated', () => {
    expect(assets.lookup('assets/index-3f2a.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(assets.lookup('assets/index-9c1d.css')?.contentType).toBe('text/css; charset=utf-8');
    expect(assets.lookup('favicon.svg')).toMatchObject({ contentType: 'image/svg+xml', cacheControl: 'no-cache' });
    expect(assets.lookup('')).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(assets.lookup('assets/index-3f2a.js')?.body.toString()).toBe('console.log(1)');
  });

  it("answers the app's own routes with index.html, and a missing file with nothing", () => {
    const index = assets.lookup('')!.body.toString();
    expect(assets.lookup('channels')?.body.toString()).toBe(index);
    expect(assets.lookup('keys/0c6f/profiles')?.body.toString()).toBe(index);
    expect(assets.lookup('assets/missing-1234.js')).toBeUndefined();
    expect(assets.lookup('robots.txt')).toBeUndefined();
  });

  it('never reads outside the build: traversal matches no file, symlinks are not followed', () => {
    for (const path of ['../console-outside/secret.txt', 'assets/../../secret.txt', '%2e%2e/secret.txt', 'linked.txt', '/etc/passwd.txt']) {
      expect(assets.lookup(path)).toBeUndefined();
    }
    // Without an extension it is a client route: the index, never the file.
    expect(assets.lookup('../../../../etc/passwd')?.body.toString()).toContain('<div id="root">');
  });

  it('is undefined when the console was not built', async () => {
    expect(await ConsoleAssets.load(join(directory, 'nothing-here'))).toBeUndefined();
  });

  it('takes the path after /console/ without its query', () => {
    expect(consolePath('/console')).toBe('');
    expect(consolePath('/console/')).toBe('');
    expect(consolePath('/console/keys?project=default')).toBe('keys');
    expect(consolePath('/console/assets/index-3f2a.js')).toBe('assets/index-3f2a.js');
  });
});
