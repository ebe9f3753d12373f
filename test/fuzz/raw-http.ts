import { connect } from 'node:net';

/**
 * HTTP/1.1 spoken over a raw TCP socket: the fuzz cases send what no HTTP client library would (garbled
 * request lines, lying content-lengths, bodies cut mid-chunk), so requests are bytes, and answers are
 * parsed here, just enough to check them (status, headers, body; content-length or chunked).
 */

/** What a case writes, and what it does after. */
export interface RawExchange {
  /** Written in order; with `pauseMs`, one write per part with a pause between (a slow or stalling client). */
  parts: Buffer[];
  pauseMs?: number;
  /** `hang-up`: close the socket after the last part without waiting for an answer. */
  then: 'answer' | 'hang-up';
}

export interface RawAnswer {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
}

export type ExchangeOutcome =
  | { kind: 'answer'; answer: RawAnswer }
  | { kind: 'closed'; received: Buffer } // closed (or reset) with no complete answer
  | { kind: 'timeout'; received: Buffer }
  | { kind: 'hung-up' };

export function exchange(port: number, plan: RawExchange, timeoutMs: number): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let settled = false;
    const finish = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout', received: Buffer.concat(received) }), timeoutMs);
    socket.on('error', () => finish(outcomeOf(Buffer.concat(received))));
    socket.on('close', () => finish(outcomeOf(Buffer.concat(received))));
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const answer = parseAnswer(Buffer.concat(received));
      if (answer) finish({ kind: 'answer', answer });
    });
    socket.once('connect', () => {
      void write(socket, plan).then(() => {
        if (plan.then === 'hang-up') finish({ kind: 'hung-up' });
      });
    });
  });
}

async function write(socket: import('node:net').Socket, plan: RawExchange): Promise<void> {
  for (let index = 0; index < plan.parts.length; index++) {
    if (socket.destroyed) return;
    socket.write(plan.parts[index] as Buffer);
    if (plan.pauseMs && index < plan.parts.length - 1) await new Promise((resolve) => setTimeout(resolve, plan.pauseMs));
  }
  // Let the last write leave before a hang-up closes the socket.
  if (plan.then === 'hang-up') await new Promise((resolve) => setTimeout(resolve, 5));
}

function outcomeOf(received: Buffer): ExchangeOutcome {
  const answer = parseAnswer(received, true);
  return answer ? { kind: 'answer', answer } : { kind: 'closed', received };
}

/** A complete answer in `bytes`, or undefined; `closed`: the connection ended, so a body without length ends here. */
export function parseAnswer(bytes: Buffer, closed = false): RawAnswer | undefined {
  // Interim answers (`100 Continue` to `expect: 100-continue`) come before the real one: skip them.
  while (/^HTTP\/1\.[01] 1\d\d /.test(bytes.subarray(0, 13).toString('latin1'))) {
    const interimEnd = bytes.indexOf('\r\n\r\n');
    if (interimEnd === -1) return undefined;
    bytes = bytes.subarray(interimEnd + 4);
  }
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const lines = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const statusMatch = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!statusMatch) return undefined;
  const status = Number(statusMatch[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const rest = bytes.subarray(headEnd + 4);
  if (status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
  if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
    const body = dechunk(rest);
    return body ? { status, headers, body } : closed ? { status, headers, body: rest } : undefined;
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    const size = Number(length);
    if (rest.length >= size) return { status, headers, body: rest.subarray(0, size) };
    return closed ? { status, headers, body: rest } : undefined;
  }
  return closed ? { status, headers, body: rest } : undefined;
}

/** The body of a complete chunked encoding, or undefined while the last chunk has not arrived. */
function dechunk(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return bytes.indexOf('\r\n', lineEnd + 2) === -1 ? undefined : Buffer.concat(parts);
    if (bytes.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
