import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { BinaryLike, ScryptOptions } from 'node:crypto';

/** scrypt cost: ~50 ms per hash on this hardware; paid only on a key-cache miss. */
const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const LOOKUP_HEX_CHARS = 16;

export interface ApiKeyHash {
  /** Indexed prefix of sha256(secret) to find candidate rows without scanning. */
  lookup: string;
  /** `scrypt$N$r$p$<salt b64>$<hash b64>`. */
  hash: string;
}

export function apiKeyLookup(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, LOOKUP_HEX_CHARS);
}

export async function hashApiKey(secret: string): Promise<ApiKeyHash> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = SCRYPT_PARAMS;
  const derived = await scryptAsync(secret, salt, HASH_BYTES, { N, r, p });
  return {
    lookup: apiKeyLookup(secret),
    hash: ['scrypt', N, r, p, salt.toString('base64'), derived.toString('base64')].join('$'),
  };
}

/** False (never a throw) for a malformed stored hash, so one bad row cannot break authentication. */
export async function verifyApiKeyHash(secret: string, storedHash: string): Promise<boolean> {
  const parsed = parseScryptHash(storedHash);
  if (parsed === undefined) return false;
  const derived = await scryptAsync(secret, parsed.salt, parsed.hash.length, parsed.params);
  return timingSafeEqual(derived, parsed.hash);
}

interface ParsedScryptHash {
  params: { N: number; r: number; p: number };
  salt: Buffer;
  hash: Buffer;
}

function parseScryptHash(storedHash: string): ParsedScryptHash | undefined {
  const [scheme, nText, rText, pText, saltText, hashText, ...rest] = storedHash.split('$');
  if (scheme !== 'scrypt' || saltText === undefined || hashText === undefined || rest.length > 0) return undefined;
  const [N, r, p] = [Number(nText), Number(rText), Number(pText)];
  // Bounds keep a corrupted row from requesting gigabytes of scrypt memory.
  const valid =
    Number.isInteger(N) &&
    N > 1 &&
    N <= 1 << 20 &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= 16;
  const hash = Buffer.from(hashText, 'base64');
  if (!valid || hash.length < 16) return undefined;
  return { params: { N, r, p }, salt: Buffer.from(saltText, 'base64'), hash };
}

function scryptAsync(secret: BinaryLike, salt: BinaryLike, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  // maxmem above scrypt's 128*N*r requirement, with headroom; Node's default (32 MiB) rejects N=2^15+.
  const maxmem = 256 * (options.N ?? 16384) * (options.r ?? 8) + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { ...options, maxmem }, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}
