/** Calls of the admin API (`/admin/v1`) over real HTTP, as an operator's script would make them. */

export interface AdminResult<T = Record<string, unknown>> {
  status: number;
  /** The parsed body (an error envelope on failure); undefined when empty. */
  body: T;
  text: string;
}

export interface AdminError {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Bodies are read field by field in assertions; a precise type per endpoint would only restate the contracts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = Record<string, any>;

export type AdminCall = <T = AnyJson>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<AdminResult<T>>;

/**
 * The owner tokens a gateway's first start printed (`export AXONHUB_ADMIN_TOKEN=...` lines of its output), in
 * order: a first start prints exactly one.
 */
export function printedOwnerTokens(output: string): string[] {
  return [...output.matchAll(/export AXONHUB_ADMIN_TOKEN=(\S+)/g)].map((match) => match[1]!);
}

/** A client bound to one admin token (undefined: no Authorization header). */
export function adminClient(origin: string, token: string | undefined): AdminCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<AdminResult<T>> => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${origin}/admin/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T, text };
  };
}

/** One Chat Completions call with a client key; resolves with the status (and the model the upstream got, via the fake). */
export async function chatWithKey(baseUrl: string, key: string, model: string): Promise<number> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}
