/**
 * A local OTLP/HTTP trace receiver for `BENCH_OTLP`: accepts every export (JSON or protobuf) as a collector
 * would, reads the body and answers 200, so a gateway with tracing on pays its whole export cost.
 * argv: port.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
let exportCount = 0;
let bytes = 0;
createServer((request, response) => {
  request.on('data', (chunk: Buffer) => (bytes += chunk.length));
  request.on('end', () => {
    exportCount++;
    const json = (request.headers['content-type'] ?? '').includes('json');
    response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
  });
}).listen(port, '127.0.0.1');
process.on('SIGTERM', () => {
  console.log(`[otlp-sink] ${exportCount} exports, ${(bytes / 1e6).toFixed(1)} MB`);
  process.exit(0);
});
