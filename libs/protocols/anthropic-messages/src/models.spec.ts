import { GatewayError } from '@gw/ir';
import type { CatalogModel } from '@gw/wire';
import { anthropicModel, anthropicModelList } from './models';

const catalog = (count: number): CatalogModel[] => Array.from({ length: count }, (_, index) => ({ id: `m${index}`, ownedBy: 'ch' }));
const ids = (page: { data: { id: string }[] }): string[] => page.data.map((model) => model.id);
const list = (models: CatalogModel[], query = ''): ReturnType<typeof anthropicModelList> =>
  anthropicModelList(models, new URLSearchParams(query));

describe('Anthropic model shapes', () => {
  it('describes a model as Anthropic does (the id as its display name, an RFC 3339 time)', () => {
    expect(anthropicModel({ id: 'claude-x', ownedBy: 'ch' })).toEqual({
      type: 'model',
      id: 'claude-x',
      display_name: 'claude-x',
      created_at: '1970-01-01T00:00:00Z',
    });
  });

  it('lists 20 by default with first_id, last_id and has_more', () => {
    const page = list(catalog(25));
    expect(page.data).toHaveLength(20);
    expect(page).toMatchObject({ has_more: true, first_id: 'm0', last_id: page.data[19]!.id });
    expect(list(catalog(3))).toMatchObject({ has_more: false, first_id: 'm0', last_id: 'm2' });
    expect(list([])).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('pages forward with after_id and backward with before_id', () => {
    const models = catalog(5);
    expect(list(models, 'limit=2&after_id=m1')).toMatchObject({ data: [{ id: 'm2' }, { id: 'm3' }], has_more: true });
    expect(list(models, 'limit=2&after_id=m3')).toMatchObject({ data: [{ id: 'm4' }], has_more: false, last_id: 'm4' });
    expect(ids(list(models, 'limit=2&before_id=m3'))).toEqual(['m1', 'm2']);
    expect(list(models, 'limit=2&before_id=m3').has_more).toBe(true);
    expect(list(models, 'limit=5&before_id=m3')).toMatchObject({ has_more: false, first_id: 'm0', last_id: 'm2' });
  });

  it('refuses a limit outside 1..1000 and both cursors at once', () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=x', 'after_id=m1&before_id=m3']) {
      expect(() => list(catalog(3), query)).toThrow(GatewayError);
    }
  });
});
