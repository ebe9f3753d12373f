import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyLookup, hashApiKey, loadOrCreateEncryptionKey, SecretCipher, verifyApiKeyHash } from '@gw/persistence';

describe('SecretCipher', () => {
  const cipher = SecretCipher.fromKeyMaterial('correct horse battery staple');

  it('round-trips and uses a fresh IV every time', () => {
    const first = cipher.encrypt('sk-upstream-é');
    const second = cipher.encrypt('sk-upstream-é');
    expect(first).toMatch(/^v1:[A-Za-z0-9+/=]{16}:[A-Za-z0-9+/=]{24}:[A-Za-z0-9+/=]+$/);
    expect(first).not.toBe(second);
    expect(cipher.decrypt(first)).toBe('sk-upstream-é');
    expect(SecretCipher.fromKeyMaterial('correct horse battery staple').decrypt(second)).toBe('sk-upstream-é');
  });

  it('fails clearly with a wrong key', () => {
    const token = cipher.encrypt('sk-upstream');
    expect(() => SecretCipher.fromKeyMaterial('another key').decrypt(token)).toThrow(/wrong encryption key/);
  });

  it('fails on a tampered or malformed value', () => {
    const [version, iv, tag, ciphertext] = cipher.encrypt('sk-upstream').split(':');
    const flipped = Buffer.from(ciphertext!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow(/cannot decrypt/);
    expect(() => cipher.decrypt('sk-plaintext')).toThrow(/not a v1 encrypted value/);
  });

  it('refuses empty key material', () => {
    expect(() => SecretCipher.fromKeyMaterial('  ')).toThrow(/empty/);
  });
});

describe('loadOrCreateEncryptionKey', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'gw-key-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a 32-byte hex key readable by the owner only, then returns the same key', async () => {
    const nested = join(dataDir, 'nested');
    const created = await loadOrCreateEncryptionKey(nested);
    expect(created).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(nested, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateEncryptionKey(nested)).toBe(created);
  });

  it('reads an existing key file as written', async () => {
    await writeFile(join(dataDir, 'secret.key'), 'my-configured-passphrase\n');
    expect(await loadOrCreateEncryptionKey(dataDir)).toBe('my-configured-passphrase');
  });

  it('gives one key to processes that start together', async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateEncryptionKey(dataDir)));
    expect(new Set(keys).size).toBe(1);
    expect((await readFile(join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(keys[0]);
  });
});

describe('api key hashing', () => {
  it('hashes with a per-key salt and verifies only the right secret', async () => {
    const first = await hashApiKey('ah-secret');
    const second = await hashApiKey('ah-secret');
    expect(first.hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first.hash).not.toBe(second.hash);
    expect(first.hash).not.toContain('ah-secret');
    expect(first.lookup).toBe(second.lookup);
    expect(first.lookup).toBe(apiKeyLookup('ah-secret'));
    // sha256("ah-secret"), first 16 hex chars, computed independently.
    expect(apiKeyLookup('ah-secret')).toBe(createHash('sha256').update('ah-secret').digest('hex').slice(0, 16));
    expect(await verifyApiKeyHash('ah-secret', first.hash)).toBe(true);
    expect(await verifyApiKeyHash('ah-secreT', first.hash)).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch rather than throwing', async () => {
    expect(await verifyApiKeyHash('ah-secret', 'bcrypt$whatever')).toBe(false);
    expect(await verifyApiKeyHash('ah-secret', 'scrypt$1048577$8$1$c2FsdA==$aGFzaA==')).toBe(false);
  });
});
