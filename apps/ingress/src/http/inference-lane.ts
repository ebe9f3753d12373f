import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyService } from '../proxy/proxy.service';
import { clientWires } from '@gw/protocol-registry';
import { ClientRoutes } from './client-routes';

const routes = new ClientRoutes(clientWires);

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
    const url = request.url ?? '/';
    const mark = url.indexOf('?');
    const query = mark === -1 ? '' : url.slice(mark + 1);
    const found = routes.match(mark === -1 ? url : url.slice(0, mark), query);
    if (found === undefined) return false;
    void this.proxy.handle(found.wire, found.route, query, request, response);
    return true;
  }
}
