/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`) as shares of the busy (non-idle) time:
 *   - top functions by self time;
 *   - per layer of the gateway: each sample goes to the first layer (in LAYERS order) found anywhere on its
 *     stack, so socket writes issued by the trace writer count as trace, not as "node internals";
 *   - per owner (a node_modules package, the project's dist/apps|libs folder, node internals), self time.
 * Samples from the first `skipS` seconds (process startup) can be left out.
 *
 * usage: node dist/bench/cpu-profile.js FILE.cpuprofile [TOP] [SKIP_S]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function owner(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const own = /\/dist\/((?:apps|libs)\/[^/]+(?:\/src\/[^/]+)?)/.exec(url);
  if (own?.[1]) return own[1];
  if (url.startsWith('node:')) return 'node:' + (url.slice(5).split('/')[0] ?? '');
  return url;
}

/** First match wins: order from the most specific purpose to the most generic plumbing. */
const LAYERS: [string, RegExp][] = [
  ['trace / database (typeorm, pg, request log)', /typeorm|node_modules\/pg|pg-protocol|apps\/trace\/|request-log/],
  ['protocol codecs, SSE (libs/protocols, libs/sse)', /libs\/protocols|libs\/sse/],
  ['upstream client (undici)', /node_modules\/undici/],
  ['ingress (apps/ingress)', /apps\/ingress\//],
  ['auth / routing (apps/auth, apps/routing, libs/routing-core)', /apps\/auth\/|apps\/routing\/|routing-core/],
  ['Nest, rxjs, in-process bus', /@nestjs|node_modules\/rxjs|libs\/transport/],
  ['HTTP server (fastify, node:http)', /fastify|find-my-way|_http_server|_http_outgoing|_http_common/],
];

const add = (m: Map<string, number>, k: string, v: number): void => void m.set(k, (m.get(k) ?? 0) + v);
const NOT_CODE = new Set(['(idle)', '(root)', '(program)', '(garbage collector)']);

export function summarizeCpuProfile(file: string, top = 25, skipS = 0): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const fns = new Map<string, number>();
  const selfByOwner = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let elapsed = 0;
  let busy = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    elapsed += dt;
    const cf = byId.get(id)?.callFrame;
    if (elapsed < skipS * 1e6 || !cf || cf.functionName === '(idle)') return;
    busy += dt;
    const where = cf.url ? `${cf.url.replace(/^.*?\/(node_modules|dist)\//, '$1/')}:${cf.lineNumber + 1}` : '';
    add(fns, `${cf.functionName || '(anonymous)'} ${where}`.trim(), dt);
    add(selfByOwner, owner(cf.url, cf.functionName), dt);
    const stack: string[] = [];
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) stack.push(byId.get(n)?.callFrame.url ?? '');
    const layer = NOT_CODE.has(cf.functionName) ? cf.functionName : LAYERS.find(([, re]) => stack.some((u) => re.test(u)))?.[0];
    add(byLayer, layer ?? 'other (node internals, native, timers)', dt);
  });
  const pct = (us: number): string => ((100 * us) / busy).toFixed(1).padStart(5) + '%';
  const lines = [`CPU profile ${file}: ${(busy / 1e6).toFixed(1)} s busy (startup's first ${skipS.toFixed(1)} s left out)`];
  lines.push(`Top ${top} functions by self time (% of busy time):`);
  for (const [k, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('By layer (% of busy time; a sample counts for the first layer found on its stack):');
  for (const [k, us] of [...byLayer].sort((a, b) => b[1] - a[1])) lines.push(`  ${pct(us)}  ${k}`);
  lines.push('Self time by owner (% of busy time):');
  for (const [k, us] of [...selfByOwner].sort((a, b) => b[1] - a[1]).slice(0, 15)) lines.push(`  ${pct(us)}  ${k}`);
  return lines.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile FILE.cpuprofile [TOP] [SKIP_S]');
  console.log(summarizeCpuProfile(file, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? 0)));
}
