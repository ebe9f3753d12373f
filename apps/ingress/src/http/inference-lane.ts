import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientProtocols, type ClientProtocol } from '../proxy/protocol-adapters';
import type { ProxyService } from '../proxy/proxy.service';

const protocolsByPath = new Map<string, ClientProtocol>(Object.values(clientProtocols).map((protocol) => [protocol.endpoint, protocol]));

/**
 * The inference endpoints, taken off the raw node:http request before Fastify sees it. The data plane owns
 * its reply (streams, in-stream errors) and reads its own body, so Fastify's routing, hooks, request and
 * reply objects and body parser only cost CPU there (measured: about a fifth of the gateway's CPU per
 * request). Everything else — health, models, 404s — goes on to Fastify and Nest.
 */
export class InferenceLane {
  private proxy?: ProxyService;

  /** Set once the Nest app exists; until then (never after `listen`) every request goes to Fastify. */
  attach(proxy: ProxyService): void {
    this.proxy = proxy;
  }

  /** True when the request is an inference call and is now being served here. */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'POST' || this.proxy === undefined) return false;
    const protocol = protocolsByPath.get(pathOf(request.url ?? '/'));
    if (protocol === undefined) return false;
    void this.proxy.handle(protocol, request, response);
    return true;
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
