import type { CapturedBodies } from '@gw/contracts';
import type { SecretRedactor } from '@gw/ir';

/**
 * Bytes kept past the cap while collecting: a secret or a redact pattern's match that straddles the cap is
 * still whole when the body is redacted, and so masked before the body is cut.
 */
const REDACTION_SLACK_BYTES = 1024;
const CONTINUATION_BYTE_MASK = 0xc0;
const CONTINUATION_BYTE = 0x80;

/**
 * One request's bodies while it runs, only when capture is on for it (ClientConnection holds it): the
 * client's request body, and the answer as written to the client, chunk by chunk (a stream: the SSE text).
 * Each is collected up to the cap (plus a little slack), never more: memory stays bounded whatever the
 * answer's length.
 */
export class BodyCapture {
  private request = Buffer.alloc(0);
  private requestTruncated = false;
  private readonly answer: Buffer[] = [];
  private answerBytes = 0;
  private answerTruncated = false;

  constructor(private readonly maxBytes: number) {}

  /** The client's body as it came (a copy of its first bytes: the body itself is let go early). */
  requestBody(bytes: Buffer): void {
    const keep = this.maxBytes + REDACTION_SLACK_BYTES;
    this.requestTruncated = bytes.length > keep;
    this.request = Buffer.from(bytes.subarray(0, keep));
  }

  /** What was written to the client, in order. */
  answered(data: string | Buffer): void {
    const room = this.maxBytes + REDACTION_SLACK_BYTES - this.answerBytes;
    if (room <= 0) {
      if (data.length > 0) this.answerTruncated = true;
      return;
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (bytes.length > room) this.answerTruncated = true;
    // A copy: the relays may reuse or release what they wrote.
    const kept = Buffer.from(bytes.subarray(0, room));
    this.answer.push(kept);
    this.answerBytes += kept.length;
  }

  /** The bodies for the request log: redacted (credentials, then the configured patterns), then cut at the cap. */
  seal(redactor: SecretRedactor, patterns: readonly RegExp[]): CapturedBodies {
    const request = cut(redact(this.request.toString('utf8'), redactor, patterns), this.maxBytes);
    const response = cut(redact(Buffer.concat(this.answer).toString('utf8'), redactor, patterns), this.maxBytes);
    return {
      request: request.text,
      response: response.text,
      requestTruncated: this.requestTruncated || request.cut,
      responseTruncated: this.answerTruncated || response.cut,
    };
  }
}

export const REDACTED_BY_PATTERN = '[REDACTED]';

function redact(text: string, redactor: SecretRedactor, patterns: readonly RegExp[]): string {
  let out = redactor.redact(text);
  for (const pattern of patterns) out = out.replace(pattern, REDACTED_BY_PATTERN);
  return out;
}

/** `text` in at most `maxBytes` of UTF-8, cut at a character boundary. */
function cut(text: string, maxBytes: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, cut: false };
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & CONTINUATION_BYTE_MASK) === CONTINUATION_BYTE) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), cut: true };
}
