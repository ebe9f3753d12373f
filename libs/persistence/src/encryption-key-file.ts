import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const ENCRYPTION_KEY_FILE_NAME = 'secret.key';

/**
 * Embedded mode without a configured key: keep one next to the data it protects, readable by the owner
 * only. Losing this file makes stored channel credentials unreadable (they can be re-entered).
 */
export async function loadOrCreateEncryptionKey(dataDir: string): Promise<string> {
  const keyPath = join(dataDir, ENCRYPTION_KEY_FILE_NAME);
  const existing = await readKeyFile(keyPath);
  if (existing !== undefined) return existing;

  await mkdir(dataDir, { recursive: true });
  const created = randomBytes(32).toString('hex');
  try {
    // `wx`: when two processes share a data dir, exactly one creates the key and the other reads it.
    await writeFile(keyPath, `${created}\n`, { mode: 0o600, flag: 'wx' });
    return created;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = await readKeyFile(keyPath);
    if (raced === undefined) throw new Error(`encryption key file ${keyPath} vanished while being created`);
    return raced;
  }
}

async function readKeyFile(keyPath: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(keyPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  // An empty file is more likely a half-written one than an intended key: refuse rather than overwrite.
  if (key.length === 0) throw new Error(`encryption key file ${keyPath} is empty`);
  return key;
}
