import { EMPTY_FILTERS, filterProblems, filterQuery, filtersFromSearch, filtersToSearch } from './filters';

describe('request-log filters', () => {
  it('accepts the status forms the trace service accepts, and names the field otherwise', () => {
    for (const status of ['200', '429', '4xx', '5XX', 'error', '']) expect(filterProblems({ ...EMPTY_FILTERS, status })).toEqual({});
    for (const status of ['20', '600', '4x', 'errors', 'ok'])
      expect(Object.keys(filterProblems({ ...EMPTY_FILTERS, status }))).toEqual(['status']);
  });

  it('refuses a time range that ends before it starts, or a time that is not one', () => {
    expect(filterProblems({ ...EMPTY_FILTERS, since: '2026-12-05T10:00', until: '2026-12-05T09:00' })).toEqual({
      since: 'Must not be after "until".',
    });
    expect(filterProblems({ ...EMPTY_FILTERS, until: 'yesterday' })).toEqual({ until: 'Not a date and time.' });
  });

  it('sends only the filled fields, trimmed, times as ISO instants, plus paging', () => {
    const query = filterQuery({ ...EMPTY_FILTERS, model: ' gpt-5 ', status: '4XX', since: '2026-12-05T09:30' }, { limit: '50' });
    const params = new URLSearchParams(query.slice(1));
    expect([...params.keys()]).toEqual(['model', 'status', 'since', 'limit']);
    expect(params.get('model')).toBe('gpt-5');
    expect(params.get('status')).toBe('4xx');
    expect(params.get('since')).toBe(new Date('2026-12-05T09:30').toISOString());
    expect(filterQuery(EMPTY_FILTERS)).toBe('');
  });

  it("round-trips through the page's own URL", () => {
    const form = { ...EMPTY_FILTERS, channel: 'deep seek', conversation: 'thread-1' };
    expect(filtersToSearch(form)).toBe('?channel=deep+seek&conversation=thread-1');
    expect(filtersFromSearch(filtersToSearch(form))).toEqual(form);
    expect(filtersFromSearch('')).toEqual(EMPTY_FILTERS);
  });
});
