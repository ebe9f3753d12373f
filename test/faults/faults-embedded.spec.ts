/**
 * Issue 16's fault matrix against the built gateway in embedded mode (one process): every fault × the four
 * client/channel paths × streamed or not. Each cell checks the client's answer, that no channel key leaked
 * anywhere, and the request-log row.
 */
import { startEmbeddedGateway } from '../e2e/support/gateway-under-test';
import { allCells } from './support/fault-cell';
import { faultMatrix } from './support/fault-matrix';

faultMatrix('fault matrix, embedded gateway', startEmbeddedGateway, allCells());
