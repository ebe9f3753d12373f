import type { IncomingHttpHeaders } from 'node:http';

/** A model a key can call, as the routing table lists it: the client-facing name and the channel serving it. */
export interface CatalogModel {
  id: string;
  ownedBy: string;
}

/**
 * How a protocol answers its clients' model listing (`GET .../models`) and lookup (`GET .../models/{id}`).
 * The gateway decides which models a key sees; the protocol only shapes them and pages through them.
 */
export interface ModelCatalogShape {
  /**
   * One page of `models` (sorted by id, as the routing table lists them) in the protocol's list shape; `query`
   * holds the protocol's paging parameters. Throws a GatewayError (`invalid_request`) for a bad one.
   */
  list(models: readonly CatalogModel[], query: URLSearchParams): unknown;
  /** One model in the protocol's model shape. */
  one(model: CatalogModel): unknown;
  /** Path prefixes (API versions) under which this protocol's clients list models: `/v1`, `/v1beta`. */
  prefixes: readonly string[];
  /**
   * Under a prefix other protocols list models at too (`/v1`): whether this request comes from this protocol's
   * clients, by what they always send. The protocol without it answers every request nobody claims.
   */
  claims?(headers: IncomingHttpHeaders, query: URLSearchParams): boolean;
}

/**
 * The model id a lookup path names: what follows `/models/`, percent-decoded (a name may hold `/` or `:`).
 * Undefined for malformed percent-encoding, which no listed model can match.
 */
export function modelIdFromPath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Index of the first model after `cursor` in a catalog's order (ids by `localeCompare`, as the routing table
 * sorts them). The cursor need not be listed any more: paging goes on from where it would have been.
 */
export function indexAfter(models: readonly CatalogModel[], cursor: string): number {
  const index = models.findIndex((model) => model.id.localeCompare(cursor) > 0);
  return index === -1 ? models.length : index;
}

/** Index of the first model at or after `cursor`: the models before it are the ones listed before the cursor. */
export function indexAtOrAfter(models: readonly CatalogModel[], cursor: string): number {
  const index = models.findIndex((model) => model.id.localeCompare(cursor) >= 0);
  return index === -1 ? models.length : index;
}
