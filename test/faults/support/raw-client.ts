import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * Plain HTTP to the gateway without a client library, so every byte, status and header is what the gateway
 * sent. Unlike fetch it never throws away what arrived before a failure: a gateway that resets the
 * connection or never ends the answer is reported with what the client had received by then.
 */

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header lines as sent, `name: value` one per line, for leak checks. */
  headerText: string;
  body: string;
  /** The body ended normally (not reset, not cut by the client-side deadline). */
  ended: boolean;
  /** Why the answer did not end normally, for failure messages. */
  failure: string | undefined;
}

export function postRaw(url: string, body: object, headers: Record<string, string>, deadlineMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let answer: Omit<RawAnswer, 'body' | 'ended' | 'failure'> = { status: 0, headers: {}, headerText: '' };
    let settled = false;
    const settle = (ended: boolean, failure: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8'), ended, failure });
    };
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false },
      (response) => {
        const lines: string[] = [];
        for (let index = 0; index < response.rawHeaders.length; index += 2) {
          lines.push(`${response.rawHeaders[index]}: ${response.rawHeaders[index + 1]}`);
        }
        answer = { status: response.statusCode ?? 0, headers: response.headers, headerText: lines.join('\n') };
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('end', () => settle(true, undefined));
        response.once('error', (error) =>
          settle(false, `the response failed after ${Buffer.concat(chunks).length} bytes: ${error.message}`),
        );
        response.once('close', () =>
          settle(response.complete, response.complete ? undefined : 'the gateway closed the connection mid-answer'),
        );
      },
    );
    const deadline = setTimeout(() => {
      settle(false, `no complete answer within ${deadlineMs} ms (the gateway never ended it)`);
      request.destroy();
    }, deadlineMs);
    request.once('error', (error) => settle(false, `request failed: ${error.message}`));
    request.end(JSON.stringify(body));
  });
}
