import type { ClientWire, InboundRoute } from '@gw/wire';

/** A POST path's protocol and what the path itself says: exact paths from a map first, then patterns. */
export class ClientRoutes {
  private readonly exact = new Map<string, { wire: ClientWire; route: InboundRoute }>();
  private readonly patterned: ClientWire[] = [];

  constructor(wires: readonly ClientWire[]) {
    for (const wire of wires) {
      for (const path of wire.paths) this.exact.set(path, { wire, route: { endpoint: path } });
      if (wire.matchPath !== undefined) this.patterned.push(wire);
    }
  }

  match(path: string, query = ''): { wire: ClientWire; route: InboundRoute } | undefined {
    const found = this.exact.get(path);
    if (found !== undefined) return found;
    for (const wire of this.patterned) {
      const route = wire.matchPath?.(path, query);
      if (route !== undefined) return { wire, route };
    }
    return undefined;
  }
}
