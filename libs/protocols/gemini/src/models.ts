import { invalidRequest } from '@gw/ir';
import { indexAfter, type CatalogModel, type ModelCatalogShape } from '@gw/wire';

/** The methods the gateway serves on every listed model (the Gemini routes of `wire-route.ts`). */
export const SUPPORTED_GENERATION_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'] as const;
/** Google's default and largest `pageSize` for `models.list`. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
/** Marks the gateway's page tokens: a token without it was not issued here. */
const TOKEN_PREFIX = 'after:';

export interface GeminiModel {
  name: string;
  baseModelId: string;
  displayName: string;
  description: string;
  supportedGenerationMethods: string[];
}

export interface GeminiListModelsResponse {
  models: GeminiModel[];
  nextPageToken?: string;
}

/** The API's own prefix for model resources: a channel may list `models/gemini-2.5-flash` as Google names it. */
const MODELS_PREFIX = 'models/';

/** The resource name Google gives a model (`models/gemini-2.5-flash`); a name that already has the prefix keeps it. */
export function geminiModelName(id: string): string {
  return id.startsWith(MODELS_PREFIX) ? id : `${MODELS_PREFIX}${id}`;
}

/**
 * The model as one path segment: every character a path could read (`/`, `?`, `#`, `%`, `..` with a slash)
 * is percent-encoded, so a model name can never reach another resource of the upstream.
 */
export function geminiModelSegment(model: string): string {
  const name = model.startsWith(MODELS_PREFIX) ? model.slice(MODELS_PREFIX.length) : model;
  return encodeURIComponent(name);
}

/**
 * A model the key can call as Gemini's `Model` resource. The gateway does not know a model's token limits,
 * version or sampling defaults, so those members are left out rather than made up.
 */
export function geminiModel(model: CatalogModel): GeminiModel {
  return {
    name: geminiModelName(model.id),
    baseModelId: model.id,
    displayName: model.id,
    description: `Served by the gateway's channel "${model.ownedBy}".`,
    supportedGenerationMethods: [...SUPPORTED_GENERATION_METHODS],
  };
}

/**
 * `models.list` (`GET /v1beta/models?pageSize=&pageToken=`): one page of `ListModelsResponse`. The page token
 * is the last listed id (base64url), so a page follows on from where the previous one ended even when the list
 * changed in between; `nextPageToken` is left out on the last page, as Google does.
 */
export function geminiModelList(models: readonly CatalogModel[], query: URLSearchParams): GeminiListModelsResponse {
  const size = pageSize(query.get('pageSize'));
  const token = query.get('pageToken');
  const after = token === null || token === '' ? undefined : cursorOf(token);
  const start = after === undefined ? 0 : indexAfter(models, after);
  const page = models.slice(start, start + size);
  const response: GeminiListModelsResponse = { models: page.map(geminiModel) };
  const last = page.at(-1);
  if (last !== undefined && start + size < models.length) {
    response.nextPageToken = Buffer.from(TOKEN_PREFIX + last.id, 'utf8').toString('base64url');
  }
  return response;
}

/**
 * Under `/v1beta` only Gemini lists models. `/v1/models` is also OpenAI's, and where @google/genai 3.x lists by
 * default: there the request is Gemini's when its key is where only Gemini clients put it, the
 * `x-goog-api-key` header or the `key` query parameter (ADR 0025).
 */
export const geminiModelCatalog: ModelCatalogShape = {
  list: geminiModelList,
  one: geminiModel,
  prefixes: ['/v1beta', '/v1'],
  claims: (headers, query) => headers['x-goog-api-key'] !== undefined || query.has('key'),
};

function pageSize(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_PAGE_SIZE;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 0)
    throw invalidRequest(`pageSize must be a non-negative integer, not '${raw.slice(0, 32)}'.`, 'pageSize');
  // Google reads 0 as the default and caps larger sizes at its maximum.
  return size === 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
}

function cursorOf(token: string): string {
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  if (!decoded.startsWith(TOKEN_PREFIX)) throw invalidRequest('pageToken is not a token this gateway issued.', 'pageToken');
  return decoded.slice(TOKEN_PREFIX.length);
}
