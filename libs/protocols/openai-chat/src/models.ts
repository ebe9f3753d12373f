import type { CatalogModel, ModelCatalogShape } from '@gw/wire';

export interface OpenAiModel {
  id: string;
  object: 'model';
  /** Unknown to the gateway: 0, which clients read as "no date". */
  created: number;
  /** The channel that serves the model. */
  owned_by: string;
}

export function openAiModel(model: CatalogModel): OpenAiModel {
  return { id: model.id, object: 'model', created: 0, owned_by: model.ownedBy };
}

/**
 * `GET /v1/models`: every model in one list (OpenAI's list is not paged). It claims no request: it answers
 * every `/v1/models` request the other protocols do not claim, as it did before they listed models.
 */
export const openAiModelCatalog: ModelCatalogShape = {
  list: (models) => ({ object: 'list', data: models.map(openAiModel) }),
  one: openAiModel,
  prefixes: ['/v1'],
};
