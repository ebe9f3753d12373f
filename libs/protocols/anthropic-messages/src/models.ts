import { invalidRequest } from '@gw/ir';
import { indexAfter, indexAtOrAfter, type CatalogModel, type ModelCatalogShape } from '@gw/wire';

/** Anthropic's default and largest `limit` for `GET /v1/models`. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;
/**
 * The gateway does not know when a model was released; `created_at` is required and an RFC 3339 time, so every
 * model gets the epoch (as OpenAI's list gets `created: 0`).
 */
const UNKNOWN_CREATED_AT = '1970-01-01T00:00:00Z';

export interface AnthropicModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface AnthropicModelList {
  data: AnthropicModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export function anthropicModel(model: CatalogModel): AnthropicModelInfo {
  return { type: 'model', id: model.id, display_name: model.id, created_at: UNKNOWN_CREATED_AT };
}

/**
 * `GET /v1/models?limit=&after_id=&before_id=`: one page, ids in the list's order. `after_id` pages forward
 * (what the SDKs' auto-pagination sends, with the previous page's `last_id`), `before_id` backward; a page
 * has `has_more` when models remain beyond it in the direction of travel, as Anthropic's list does.
 */
export function anthropicModelList(models: readonly CatalogModel[], query: URLSearchParams): AnthropicModelList {
  const limit = limitOf(query.get('limit'));
  const afterId = nonEmpty(query.get('after_id'));
  const beforeId = nonEmpty(query.get('before_id'));
  if (afterId !== undefined && beforeId !== undefined) throw invalidRequest('after_id and before_id cannot both be set.', 'before_id');
  let start: number;
  let end: number;
  let hasMore: boolean;
  if (beforeId !== undefined) {
    end = indexAtOrAfter(models, beforeId);
    start = Math.max(0, end - limit);
    hasMore = start > 0;
  } else {
    start = afterId === undefined ? 0 : indexAfter(models, afterId);
    end = Math.min(models.length, start + limit);
    hasMore = end < models.length;
  }
  const data = models.slice(start, end).map(anthropicModel);
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/**
 * `/v1/models` is OpenAI's path too: the request is Anthropic's when it carries `anthropic-version`, which the
 * Anthropic API requires and every Anthropic SDK (and Claude Code) sends, whichever header holds the key
 * (ADR 0025). An OpenAI client never sends it.
 */
export const anthropicModelCatalog: ModelCatalogShape = {
  list: anthropicModelList,
  one: anthropicModel,
  prefixes: ['/v1'],
  claims: (headers) => headers['anthropic-version'] !== undefined,
};

function limitOf(raw: string | null): number {
  if (raw === null || raw === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalidRequest(`limit must be an integer from 1 to ${MAX_LIMIT}, not '${raw.slice(0, 32)}'.`, 'limit');
  }
  return limit;
}

function nonEmpty(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}
