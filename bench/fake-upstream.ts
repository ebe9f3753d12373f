/**
 * Fake OpenAI Chat Completions upstream for the bench (run as its own process, pinned to the load core).
 *
 *   POST /v1/chat/completions       non-stream → fixed chat.completion JSON; stream → fixed SSE bytes at once
 *   POST /slow/v1/chat/completions  stream → headers at once, the first SSE event after SLOW_TTFB_MS, the rest
 *                                   SLOW_REST_GAP_MS later (a separate TCP read for the proxy: see below)
 *   POST /short/v1/chat/completions stream → the 21-event Chat stream of ../shared/bench (its `codex16` cell)
 *   POST /v1/responses              stream → the compact Responses stream of ../shared/bench (what a thin proxy
 *                                   passing Codex's request through gets in the `codex16` cell)
 *   GET  /__stats                   {"requests","streams","connections"}: lets the bench check forwarding and reuse
 *   GET  /__last                    the last request body received (to sanity-check what a gateway sent upstream)
 *
 * It answers with canned bytes and never parses JSON, so it costs as little CPU as possible: it shares its core
 * with the load generator and must not be what limits the measured throughput.
 *
 * usage: node fake-upstream.js PORT FIXTURES_DIR
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SLOW_TTFB_MS = 200;
// Without a gap the first event and the 100 KB rest reach the proxy in one read, and a proxy that handles a
// whole read before writing anything shows its time for the whole stream as "time to first byte". A real
// model streams tokens over time; the gap keeps the TTFB cell about the latency added to the first event.
const SLOW_REST_GAP_MS = 20;

const port = Number(process.argv[2]);
const fixtures = process.argv[3] ?? join(__dirname, '../../bench/fixtures');
const CHAT_JSON = readFileSync(join(fixtures, 'chat-completion.json'));
const CHAT_SSE = readFileSync(join(fixtures, 'chat-completion.sse'));
// The first SSE event alone, so the slow mode can send it, wait, then send the rest.
const firstEventEnd = CHAT_SSE.indexOf('\n\n') + 2;
const SSE_HEAD = CHAT_SSE.subarray(0, firstEventEnd);
const SSE_REST = CHAT_SSE.subarray(firstEventEnd);
// ../shared/bench/mock/bodies.mjs's SSE_BODY and RESPONSES_SSE, byte for byte.
const SHORT_CHAT_SSE = readFileSync(join(fixtures, 'chat-completion-short.sse'));
const RESPONSES_SSE = readFileSync(join(fixtures, 'responses-short.sse'));
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
// A cheap test instead of JSON.parse: requests from the bench and from gateways put `"stream":true` at top level.
const STREAM_TRUE = /"stream"\s*:\s*true/;

// connections: TCP connections accepted; far more than the client's connection count means no keep-alive reuse.
const stats = { requests: 0, streams: 0, connections: 0 };
let lastBody = '';

function answer(req: IncomingMessage, res: ServerResponse, body: string): void {
  const slow = req.url === '/slow/v1/chat/completions';
  const short = req.url === '/short/v1/chat/completions' || req.url === '/v1/responses';
  if (!slow && !short && req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
    return;
  }
  stats.requests++;
  lastBody = body;
  if (!STREAM_TRUE.test(body)) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': CHAT_JSON.length }).end(CHAT_JSON);
    return;
  }
  stats.streams++;
  if (short) {
    res.writeHead(200, SSE_HEADERS).end(req.url === '/v1/responses' ? RESPONSES_SSE : SHORT_CHAT_SSE);
    return;
  }
  if (!slow) {
    // Chunked like the real API (no content-length), all events in one write.
    res.writeHead(200, SSE_HEADERS).end(CHAT_SSE);
    return;
  }
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders(); // headers now; the time to first byte the bench measures is the first event's
  setTimeout(() => {
    if (res.destroyed) return;
    res.write(SSE_HEAD);
    setTimeout(() => void (res.destroyed || res.end(SSE_REST)), SLOW_REST_GAP_MS);
  }, SLOW_TTFB_MS);
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  if (req.method === 'GET' && req.url === '/__last') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(lastBody || '{}');
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (chunk: Buffer) => parts.push(chunk));
  req.on('end', () => answer(req, res, Buffer.concat(parts).toString('utf8')));
});
server.on('connection', () => stats.connections++);
// Longer than any client's idle timeout, so the upstream never closes a pooled connection mid-bench.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.listen(port, '127.0.0.1', () => console.log(`fake-upstream :${port} pid=${process.pid}`));
