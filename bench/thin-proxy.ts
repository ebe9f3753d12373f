/**
 * Baseline: the least a Node reverse proxy can do (node:http server + undici client, bodies piped both ways,
 * no parsing), same as /work/shared/bench/peers/thin-proxy.mjs. What the gateway adds on top of this is the
 * cost of being a gateway (auth, routing, protocol codecs, traces) rather than the cost of Node forwarding.
 *
 * usage: node thin-proxy.js PORT UPSTREAM_ORIGIN   (the request path is forwarded unchanged)
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const port = Number(process.argv[2]);
const upstream = process.argv[3] ?? 'http://127.0.0.1:18091';
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 60_000, pipelining: 1 });
const HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'host',
  'content-length',
  'proxy-connection',
  'te',
  'upgrade',
  'trailer',
]);

function strip(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

createServer((req, res) => {
  request(upstream + (req.url ?? '/'), {
    method: req.method === 'GET' ? 'GET' : 'POST',
    headers: strip(req.headers),
    body: req.method === 'GET' ? undefined : req,
    dispatcher,
  })
    .then((up) => {
      res.writeHead(up.statusCode, strip(up.headers));
      up.body.pipe(res); // chunk by chunk, no buffering
    })
    .catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(e) } }));
    });
}).listen(port, '127.0.0.1', () => console.log(`thin-proxy :${port} pid=${process.pid}`));
