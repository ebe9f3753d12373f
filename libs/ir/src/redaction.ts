/**
 * Credentials out of everything that leaves the gateway or is stored: client answers, request-log rows,
 * logs. Upstreams echo the credential they were sent in their own words (OpenAI's "Incorrect API key
 * provided: sk-proj-abcd****wxyz", a proxy that quotes the whole `Authorization` header, a provider that
 * prints the key in an in-stream error), so a redactor knows the secrets of the channel that served the
 * request and masks them whole, in part, and in the shapes API keys generally have.
 */

/** What a secret becomes. No quote or backslash: masking inside JSON text keeps the JSON valid. */
export const REDACTED = '***';

/** A fragment of a secret shorter than this is not masked: too short to be of use, too likely to be a word. */
const MIN_FRAGMENT = 8;
/** A token that shares this many consecutive characters with a secret is masked whole. */
const SHARED_RUN = 12;

/** Runs of characters that credentials are made of; everything between them is left as it is. */
const TOKEN = /[A-Za-z0-9._~+/=-]{8,}/g;
/** API-key shapes whoever's key they are: `sk-...`, `sk-proj-...`, `sk-ant-...`, Google's `AIza...`. */
const KEY_SHAPES = /\b(?:sk-[A-Za-z0-9_*-]{4,}|AIza[A-Za-z0-9_-]{20,})/g;
/** `Bearer <token>` and `Basic <token>`, as quoted by proxies that echo the request's headers. */
const AUTH_SCHEMES = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=*-]+/gi;

/** The key shapes alone: for texts that no channel's secret is known for (and as a last pass for all). */
export function redactKeyShapes(text: string): string {
  return text.replace(KEY_SHAPES, (match) => (match.startsWith('sk-') ? 'sk-***' : REDACTED)).replace(AUTH_SCHEMES, `$1 ${REDACTED}`);
}

export class SecretRedactor {
  private readonly secrets: readonly string[];
  private readonly secretBytes: readonly Buffer[];

  constructor(secrets: readonly (string | undefined)[]) {
    this.secrets = [...new Set(secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_FRAGMENT))];
    this.secretBytes = this.secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  /** Masks the secrets (whole or in part) and anything shaped like a credential. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    if (this.secrets.length > 0) out = out.replace(TOKEN, (token) => (this.sharesSecret(token) ? REDACTED : token));
    return redactKeyShapes(out);
  }

  /**
   * Cheap check for bytes on the hot path (pass-through answers, stream blocks): does a whole secret appear?
   * Fragments and shapes are looked for only in texts known to be error texts (`redact`).
   */
  appearsIn(bytes: Buffer | string): boolean {
    if (typeof bytes === 'string') return this.secrets.some((secret) => bytes.includes(secret));
    return this.secretBytes.some((secret) => bytes.includes(secret));
  }

  /** `bytes` with every whole secret masked (callers check `appearsIn` first). */
  redactBytes(bytes: Buffer): Buffer {
    return Buffer.from(this.redact(bytes.toString('utf8')), 'utf8');
  }

  private sharesSecret(token: string): boolean {
    for (const secret of this.secrets) {
      if (secret.includes(token)) return true;
      for (let start = 0; start + SHARED_RUN <= secret.length; start++) {
        if (token.includes(secret.slice(start, start + SHARED_RUN))) return true;
      }
    }
    return false;
  }
}

/** A redactor that knows no secret: key shapes only. */
export const KEY_SHAPES_ONLY = new SecretRedactor([]);
