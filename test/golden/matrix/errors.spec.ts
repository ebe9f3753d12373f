/**
 * The cross-protocol matrix, errors: an upstream's HTTP error in its own protocol's envelope, for every upstream
 * protocol × every client protocol. The same failure gives every client the same gateway code whatever channel
 * type served it, in the client's own envelope and status, and the client's own decoder reads back the code and
 * the upstream's message (what the client's SDK shows).
 */
import { GatewayError, upstreamStatusCode } from '@gw/ir';
import { MatrixTable } from './matrix-table';
import { matrixClients, matrixUpstreams, nativeClientOf, nativeUpstreamOf } from './protocols';

const table = new MatrixTable('cross-protocol matrix, upstream HTTP errors: client status and code read back');
afterAll(() => console.log(table.render()));

const MESSAGE = 'The upstream says no, politely';
/**
 * Codes a client protocol has no status of its own for, and what its clients read instead (documented by the
 * protocol's error encoder): Gemini has no 413, a request too large is its 400 `INVALID_ARGUMENT`.
 */
const READ_AS: Readonly<Record<string, Readonly<Record<string, string>>>> = { gemini: { request_too_large: 'invalid_request' } };

/** Statuses providers answer with, and the gateway code each must become for every protocol. */
const STATUSES = [400, 401, 403, 404, 413, 422, 429, 500, 502, 503, 504, 529];

describe.each(STATUSES)('upstream HTTP %i', (status) => {
  for (const upstream of matrixUpstreams) {
    for (const client of matrixClients) {
      const row = `HTTP ${status} ← ${upstream.channelType}`;
      table.declare(row);
      it(`${upstream.channelType} → ${client.name}`, () => {
        let verdict = 'FAIL';
        try {
          // The provider's body: its protocol's own envelope for the failure (what its error encoder writes).
          const expectedCode = status === 401 || status === 403 ? 'upstream_error' : upstreamStatusCode(status);
          const providerBody = nativeClientOf(upstream).errorResponse(new GatewayError(expectedCode, MESSAGE)).body;
          const error = upstream.decodeError(status, JSON.stringify(providerBody));
          expect(error.code).toBe(expectedCode);
          const answer = client.errorResponse(error);
          const readBack = nativeUpstreamOf(client).decodeError(answer.status, JSON.stringify(answer.body));
          expect(readBack.message).toContain(MESSAGE);
          // A 401/403 means the channel's credentials: the client's key was fine, so it reads back as the upstream failing.
          expect(readBack.code).toBe(READ_AS[client.name]?.[expectedCode] ?? expectedCode);
          verdict = `${answer.status} ${readBack.code}`;
        } finally {
          table.record(row, client.name, verdict);
        }
      });
    }
  }
});
