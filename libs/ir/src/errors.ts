/**
 * The one error type of the gateway. Serializable (it crosses NATS as plain JSON) and rendered at the
 * edge in the client's own protocol by that protocol's codec.
 */
export type GatewayErrorCode =
  | 'invalid_api_key'
  | 'invalid_request'
  | 'model_not_found'
  | 'request_too_large'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'rate_limited'
  | 'internal_error'
  | 'service_unavailable'
  /** The client went away before the answer was complete (nginx's 499). */
  | 'client_closed';

export interface GatewayErrorData {
  code: GatewayErrorCode;
  message: string;
  httpStatus: number;
  /** The offending request field, when there is one (OpenAI's `param`). */
  param?: string;
  retryable: boolean;
  upstreamStatus?: number;
  requestId?: string;
  /** Response headers the client must see with this error (an upstream 429's `Retry-After`, `x-ratelimit-*`). */
  headers?: Record<string, string>;
}

const defaults: Record<GatewayErrorCode, { httpStatus: number; retryable: boolean }> = {
  invalid_api_key: { httpStatus: 401, retryable: false },
  invalid_request: { httpStatus: 400, retryable: false },
  model_not_found: { httpStatus: 404, retryable: false },
  request_too_large: { httpStatus: 413, retryable: false },
  upstream_error: { httpStatus: 502, retryable: true },
  upstream_timeout: { httpStatus: 504, retryable: true },
  rate_limited: { httpStatus: 429, retryable: true },
  internal_error: { httpStatus: 500, retryable: false },
  service_unavailable: { httpStatus: 503, retryable: true },
  client_closed: { httpStatus: 499, retryable: false },
};

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly httpStatus: number;
  readonly param?: string;
  readonly retryable: boolean;
  readonly upstreamStatus?: number;
  requestId?: string;
  headers?: Record<string, string>;

  constructor(code: GatewayErrorCode, message: string, extra: Partial<Omit<GatewayErrorData, 'code' | 'message'>> = {}) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
    this.httpStatus = extra.httpStatus ?? defaults[code].httpStatus;
    this.retryable = extra.retryable ?? defaults[code].retryable;
    this.param = extra.param;
    this.upstreamStatus = extra.upstreamStatus;
    this.requestId = extra.requestId;
    this.headers = extra.headers;
  }

  toJSON(): GatewayErrorData {
    return {
      code: this.code,
      message: this.message,
      httpStatus: this.httpStatus,
      param: this.param,
      retryable: this.retryable,
      upstreamStatus: this.upstreamStatus,
      requestId: this.requestId,
      headers: this.headers,
    };
  }

  static fromJSON(data: GatewayErrorData): GatewayError {
    return new GatewayError(data.code, data.message, data);
  }

  static isGatewayErrorData(value: unknown): value is GatewayErrorData {
    return typeof value === 'object' && value !== null && 'code' in value && 'httpStatus' in value && 'message' in value;
  }
}

/** OpenAI's error `type` for a code; Responses and Chat share the envelope. */
export function openAiErrorType(error: GatewayError): string {
  switch (error.code) {
    case 'invalid_api_key':
      return 'authentication_error';
    case 'invalid_request':
    case 'request_too_large':
    case 'model_not_found':
      return 'invalid_request_error';
    case 'rate_limited':
      return 'rate_limit_error';
    default:
      return 'api_error';
  }
}

/** OpenAI's error envelope, used by both the Chat Completions and Responses endpoints. */
export function toOpenAiErrorBody(error: GatewayError): { error: { message: string; type: string; code: string; param: string | null } } {
  return { error: { message: error.message, type: openAiErrorType(error), code: error.code, param: error.param ?? null } };
}

/**
 * An upstream's HTTP error status (other than 401/403, which every decoder reports as the gateway's own
 * credentials being refused) → the gateway's code: one rule for every upstream protocol, so a client gets the
 * same status for the same failure whichever channel type served it (ADR 0021). 429 stays a 429 so clients
 * back off; 503 and Anthropic's 529 (overloaded) are a retryable 503; a 504 a timeout; 400/422 the client's
 * request, 404 an unknown model, 413 a request too large; anything else is the upstream failing (502).
 */
export function upstreamStatusCode(status: number): GatewayErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_request';
    case 404:
      return 'model_not_found';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limited';
    case 503:
    case 529:
      return 'service_unavailable';
    case 504:
      return 'upstream_timeout';
    default:
      return 'upstream_error';
  }
}
