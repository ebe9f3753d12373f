/**
 * Issue 16's fault matrix against the built gateway in distributed mode (auth, routing, trace and ingress
 * processes over NATS): a representative subset, every fault once, every path and both stream modes
 * covered, since the full matrix runs in embedded mode and the relays are the same code in both.
 */
import { startDistributedGateway } from '../e2e/support/gateway-under-test';
import { cellsNamed } from './support/fault-cell';
import { faultMatrix } from './support/fault-matrix';

const SUBSET = [
  ['upstream-500', 'chat>chat', 'whole'],
  ['rate-limited-429', 'responses>responses', 'stream'],
  ['key-echo-401', 'responses>chat', 'whole'],
  ['header-hang', 'chat>responses', 'stream'],
  ['body-silence', 'chat>chat', 'stream'],
  ['reset-before-headers', 'responses>responses', 'whole'],
  ['reset-after-headers', 'responses>chat', 'stream'],
  ['stream-cut', 'chat>responses', 'stream'],
  ['malformed', 'chat>chat', 'stream'],
  ['html-200', 'responses>responses', 'stream'],
  ['stream-error-key', 'chat>chat', 'stream'],
  ['failed-key', 'chat>responses', 'stream'],
  ['stream-cut', 'gemini>gemini', 'stream'],
  ['key-echo-401', 'chat>gemini', 'whole'],
  ['stream-error-key', 'gemini>chat', 'stream'],
] as const;

faultMatrix('fault matrix subset, distributed gateway', startDistributedGateway, cellsNamed(SUBSET));
