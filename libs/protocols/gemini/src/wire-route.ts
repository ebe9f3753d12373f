import { GatewayError, invalidRequest } from '@gw/ir';
import type { InboundRoute } from '@gw/wire';

/** Gemini's REST methods the gateway serves: whether each streams, and `countTokens` as a count operation. */
const METHODS: Readonly<Record<string, Pick<InboundRoute, 'stream' | 'operation'>>> = {
  generateContent: { stream: false },
  streamGenerateContent: { stream: true },
  countTokens: { stream: false, operation: 'count_tokens' },
};
/** `v1beta` is what Google's docs and curl examples use; `v1` is the stable surface, where @google/genai 3.x calls by default. */
const VERSIONS = ['/v1beta', '/v1'];
const MODELS = '/models/';
/** Longer than any model name a profile or channel holds; a path past it is refused, not looked up. */
const MAX_MODEL_LENGTH = 256;
/** Encoded separators: a model name holds a literal `/` or none, never one a decoder would turn into a path. */
const ENCODED_SEPARATOR = /%(2f|5c)/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;

/** A route this wire matched but refuses: the error is answered in Gemini's envelope once the key is known. */
interface GeminiRoute extends InboundRoute {
  problem?: GatewayError;
}

/**
 * `/v1beta/models/{model}:{method}` (and `/v1/...`) → the model, the stream flag (or the `count_tokens`
 * operation, for `:countTokens`) and the endpoint to log. The
 * method follows the last `:` (model names may hold one: `qwen2.5:7b`); the model is percent-decoded and may
 * hold literal `/` between non-empty segments, never `.` or `..` segments, control characters, backslashes or
 * encoded separators. `streamGenerateContent` is served as SSE only (`alt=sse`, what every Google SDK asks
 * for): without it Google streams one JSON array, which the gateway does not produce (ADR 0020).
 */
export function geminiRoute(path: string, query: string): InboundRoute | undefined {
  const version = VERSIONS.find((prefix) => path.startsWith(prefix + MODELS));
  if (version === undefined) return undefined;
  const rest = path.slice(version.length + MODELS.length);
  const colon = rest.lastIndexOf(':');
  if (colon === -1) return undefined;
  const method = rest.slice(colon + 1);
  const served = METHODS[method];
  if (served === undefined) {
    // Google answers 404 for a method it does not have; the name is cut, it goes into a log line.
    const message = `The gateway serves generateContent, streamGenerateContent and countTokens; '${method.slice(0, 64)}' is not served.`;
    return withProblem(`${version}/models/{model}:{method}`, new GatewayError('invalid_request', message, { httpStatus: 404 }));
  }
  const endpoint = `${version}/models/{model}:${method}`;
  const model = modelFromPath(rest.slice(0, colon));
  if (model instanceof GatewayError) return withProblem(endpoint, model);
  const stream = served.stream === true;
  if (stream && new URLSearchParams(query).get('alt') !== 'sse') {
    return withProblem(
      endpoint,
      invalidRequest(
        'streamGenerateContent is served as server-sent events: add ?alt=sse to the URL (the JSON-array stream is not served).',
        'alt',
      ),
    );
  }
  return served.operation === undefined ? { endpoint, model, stream } : { endpoint, model, stream, operation: served.operation };
}

/** The error a refused route answers with (see `geminiRoute`); undefined for a route that is served. */
export function routeProblem(route: InboundRoute): GatewayError | undefined {
  return (route as GeminiRoute).problem;
}

function withProblem(endpoint: string, problem: GatewayError): GeminiRoute {
  return { endpoint, problem };
}

function modelFromPath(raw: string): string | GatewayError {
  const refuse = (why: string): GatewayError => invalidRequest(`The model name in the URL ${why}.`, 'model');
  if (raw === '') return refuse('is empty');
  if (raw.length > MAX_MODEL_LENGTH) return refuse(`is longer than ${MAX_MODEL_LENGTH} characters`);
  if (ENCODED_SEPARATOR.test(raw)) return refuse('holds an encoded slash or backslash');
  let model: string;
  try {
    model = decodeURIComponent(raw);
  } catch {
    return refuse('is not valid percent-encoding');
  }
  if (CONTROL_OR_BACKSLASH.test(model)) return refuse('holds a control character or a backslash');
  if (model.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return refuse("has an empty, '.' or '..' path segment");
  }
  return model;
}
