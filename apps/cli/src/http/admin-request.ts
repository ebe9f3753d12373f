import { UsageError } from '../exit-codes';

/** One admin API call, as data: what the commands build (pure, unit-tested) and the client sends. */
export interface AdminRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `/admin/v1`, e.g. `/api-keys`; path parameters already encoded (use `segment`). */
  path: string;
  /** Undefined and empty values are left out. */
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** A path parameter (a name may hold `/`, spaces, ...). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

/**
 * The admin API's base from what a user types: `127.0.0.1:8090`, `http://host:8090/`, or a URL already
 * ending in `/admin/v1` all give `http://host:8090/admin/v1`.
 */
export function adminBaseUrl(url: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new UsageError(`not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`the gateway URL must be http or https: "${url}"`);
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/admin\/v1$/, '');
  return `${parsed.origin}${path}/admin/v1`;
}

/** The gateway's origin and path prefix without `/admin/v1` (for the client base URL `…/v1`). */
export function gatewayRoot(adminBase: string): string {
  return adminBase.replace(/\/admin\/v1$/, '');
}

export function requestUrl(adminBase: string, request: AdminRequest): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const search = query.toString();
  return `${adminBase}${request.path}${search === '' ? '' : `?${search}`}`;
}
