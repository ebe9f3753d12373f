import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

/** One file of the built console, ready to send. */
export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names what it emits under assets/ after a hash of the content: a new build is a new name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files, so the browser must ask again each time (a 200 of a few hundred bytes). */
const REVALIDATE = 'no-cache';

/**
 * The built console (`dist/console`, written by `vite build`), held in memory: a lookup is a map get keyed by
 * the path as the URL spells it, so no request path ever reaches the file system (no traversal to guard
 * against, `..` and encoded variants simply match nothing). The files are read once, on the first request.
 */
export class ConsoleAssets {
  private constructor(private readonly files: ReadonlyMap<string, ConsoleFile>) {}

  /** undefined when the directory has no index.html (the console was not built). */
  static async load(directory: string): Promise<ConsoleAssets | undefined> {
    const files = new Map<string, ConsoleFile>();
    for (const path of await listFiles(directory)) {
      const name = relative(directory, path).split(sep).join('/');
      files.set(name, {
        body: await readFile(path),
        contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
        cacheControl: name.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
      });
    }
    return files.has('index.html') ? new ConsoleAssets(files) : undefined;
  }

  /**
   * The file for `path` (what follows `/console/`, without the query). A path that names no file and has no
   * extension is one of the app's own routes (`channels`, `keys/abc/profiles`): the app's index.html, whose
   * router shows that page. A missing file with an extension is a 404, not HTML posing as a script.
   */
  lookup(path: string): ConsoleFile | undefined {
    const file = this.files.get(path === '' ? 'index.html' : path);
    if (file !== undefined) return file;
    const lastSegment = path.slice(path.lastIndexOf('/') + 1);
    return lastSegment.includes('.') ? undefined : this.files.get('index.html');
  }
}

/** Regular files only, recursively: a symlink in the build output is not followed anywhere. */
async function listFiles(directory: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
