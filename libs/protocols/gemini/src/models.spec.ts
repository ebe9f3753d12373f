import { GatewayError } from '@gw/ir';
import type { CatalogModel } from '@gw/wire';
import { geminiModel, geminiModelList } from './models';

const catalog = (ids: string[]): CatalogModel[] => ids.map((id) => ({ id, ownedBy: 'ch' })).sort((a, b) => a.id.localeCompare(b.id));
const query = (text = ''): URLSearchParams => new URLSearchParams(text);

describe('Gemini model shapes', () => {
  it('names a model as Google does, with the methods the gateway serves on it', () => {
    expect(geminiModel({ id: 'gemini-2.5-flash', ownedBy: 'google' })).toEqual({
      name: 'models/gemini-2.5-flash',
      baseModelId: 'gemini-2.5-flash',
      displayName: 'gemini-2.5-flash',
      description: 'Served by the gateway\'s channel "google".',
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    });
    // A channel that lists the resource name keeps it as it is.
    expect(geminiModel({ id: 'models/gemini-2.5-pro', ownedBy: 'g' }).name).toBe('models/gemini-2.5-pro');
  });

  it('lists everything on one page by default, without a nextPageToken', () => {
    const page = geminiModelList(catalog(['b', 'a', 'c']), query());
    expect(page.models.map((model) => model.name)).toEqual(['models/a', 'models/b', 'models/c']);
    expect(page).not.toHaveProperty('nextPageToken');
  });

  it('pages by pageSize and pageToken until the last page, which has no token', () => {
    const models = catalog(Array.from({ length: 7 }, (_, index) => `m${index}`));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = geminiModelList(models, query(`pageSize=3${token === undefined ? '' : `&pageToken=${token}`}`));
      seen.push(...page.models.map((model) => model.baseModelId));
      token = page.nextPageToken;
      pages++;
    } while (token !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(models.map((model) => model.id));
  });

  it('goes on after the last listed id even when it has left the list since', () => {
    const first = geminiModelList(catalog(['a', 'b', 'c', 'd']), query('pageSize=2'));
    const next = geminiModelList(catalog(['a', 'c', 'd']), query(`pageSize=2&pageToken=${first.nextPageToken}`));
    expect(next.models.map((model) => model.baseModelId)).toEqual(['c', 'd']);
  });

  it('reads pageSize 0 as the default and caps it at 1000; refuses other sizes and foreign tokens', () => {
    const many = catalog(Array.from({ length: 1200 }, (_, index) => `m${String(index).padStart(4, '0')}`));
    expect(geminiModelList(many, query('pageSize=0')).models).toHaveLength(50);
    expect(geminiModelList(many, query('pageSize=5000')).models).toHaveLength(1000);
    for (const bad of ['pageSize=-1', 'pageSize=2.5', 'pageSize=ten', 'pageToken=bm90LW91cnM']) {
      expect(() => geminiModelList(many, query(bad))).toThrow(GatewayError);
    }
  });
});
