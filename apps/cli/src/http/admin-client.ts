import { CliError, ExitCode, exitCodeForStatus } from '../exit-codes';
import { requestUrl, type AdminRequest } from './admin-request';

/** What the commands send requests through (an interface, so the session commands can build their own). */
export interface AdminApi {
  readonly baseUrl: string;
  send<T = unknown>(request: AdminRequest): Promise<T>;
}

interface AdminErrorEnvelope {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function isErrorEnvelope(body: unknown): body is AdminErrorEnvelope {
  const error = (body as { error?: unknown } | null)?.error as { message?: unknown } | undefined;
  return typeof error === 'object' && error !== null && typeof error.message === 'string';
}

/**
 * A thin fetch client: sends JSON with the admin token, returns the parsed answer (undefined for 204), and
 * turns every failure into a `CliError` whose exit code says what kind of failure it was.
 */
export class HttpAdminApi implements AdminApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async send<T = unknown>(request: AdminRequest): Promise<T> {
    const url = requestUrl(this.baseUrl, request);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
    } catch (error) {
      throw new CliError(`cannot reach the gateway at ${this.baseUrl}: ${networkReason(error)}`, ExitCode.unavailable);
    }
    const text = await response.text().catch(() => '');
    const body = parseJson(text);
    if (response.ok) {
      if (text === '') return undefined as T;
      if (body === undefined)
        throw new CliError(`${request.method} ${url}: the answer is not JSON (is this an AxonHub gateway?)`, ExitCode.failure);
      return body as T;
    }
    if (isErrorEnvelope(body)) {
      const details = body.error.details === undefined ? '' : ` ${JSON.stringify(body.error.details)}`;
      throw new CliError(
        `${body.error.message} (${body.error.code}, HTTP ${response.status})${details}`,
        exitCodeForStatus(response.status),
        body,
      );
    }
    const note = response.status === 404 ? ' (is this an AxonHub gateway, and does it serve this route yet?)' : '';
    throw new CliError(`${request.method} ${url}: HTTP ${response.status}${note}`, exitCodeForStatus(response.status));
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** fetch says "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
