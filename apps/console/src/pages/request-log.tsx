import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { Page, RequestLogView } from '@gw/contracts';
import type { PageProps } from '../app';
import { errorMessage } from '../lib/api';
import { EMPTY_FILTERS, filterProblems, filterQuery, filtersFromSearch, filtersToSearch, type RequestLogFilterForm } from '../lib/filters';
import { navigate } from '../lib/router';
import { RequestTable } from '../components/request-table';
import { ErrorNotice, PageHeader } from '../components/ui';

const LIVE_INTERVAL_MS = 2_000;

/** The request log: filters (kept in the URL), newest first, "load more", and a live tail that polls for new rows. */
export function RequestLogPage({ api, search }: PageProps & { search: string }): ReactNode {
  const applied = filtersFromSearch(search);
  const [form, setForm] = useState<RequestLogFilterForm>(applied);
  const [rows, setRows] = useState<RequestLogView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const newest = useRef<string | undefined>(undefined);
  const problems = filterProblems(form);

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    api.get<Page<RequestLogView>>(`/request-logs${filterQuery(applied, { limit: '50' })}`).then(
      (page) => {
        if (cancelled) return;
        setRows(page.items);
        setCursor(page.next_cursor);
        newest.current = page.items[0]?.started_at;
      },
      (failure: unknown) => !cancelled && setError(errorMessage(failure)),
    );
    return () => {
      cancelled = true;
    };
    // The filters as applied (the URL) are the dependency, not the form being typed.
  }, [api, search]);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      const since = newest.current;
      const query = filterQuery(applied, since ? { since, limit: '200' } : { limit: '50' });
      api.get<Page<RequestLogView>>(`/request-logs${query}`).then(
        (page) => {
          setRows((current) => {
            const known = new Set(current.map((row) => row.request_id));
            const fresh = page.items.filter((row) => !known.has(row.request_id));
            if (fresh[0]) newest.current = fresh[0].started_at;
            return fresh.length === 0 ? current : [...fresh, ...current];
          });
        },
        (failure: unknown) => setError(errorMessage(failure)),
      );
    }, LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [api, live, search]);

  const apply = (event: FormEvent): void => {
    event.preventDefault();
    if (Object.keys(problems).length === 0) navigate(`/requests${filtersToSearch(form)}`);
  };
  const loadMore = async (): Promise<void> => {
    if (cursor === null) return;
    try {
      const page = await api.get<Page<RequestLogView>>(`/request-logs${filterQuery(applied, { limit: '50', cursor })}`);
      setRows((current) => [...current, ...page.items]);
      setCursor(page.next_cursor);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };
  const field = (name: keyof RequestLogFilterForm, label: string, type = 'text', placeholder = ''): ReactNode => (
    <div className="field">
      <label className="field">
        {label}
        <input
          type={type}
          value={form[name]}
          placeholder={placeholder}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
          aria-invalid={problems[name] !== undefined}
          aria-describedby={problems[name] ? `filter-${name}-problem` : undefined}
        />
      </label>
      {problems[name] ? (
        <small id={`filter-${name}-problem`} className="error-text">
          {problems[name]}
        </small>
      ) : null}
    </div>
  );

  return (
    <section>
      <PageHeader title="Request log">
        <label className="toggle">
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} /> Live tail
        </label>
      </PageHeader>
      <form className="filters" onSubmit={apply} aria-label="Filter requests">
        {field('api_key', 'Key (name or id)')}
        {field('model', 'Model', 'text', 'requested or mapped')}
        {field('channel', 'Channel')}
        {field('status', 'Status', 'text', '200, 4xx, error')}
        {field('conversation', 'Conversation')}
        {field('since', 'Since', 'datetime-local')}
        {field('until', 'Until', 'datetime-local')}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={Object.keys(problems).length > 0}>
            Apply filters
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY_FILTERS);
              navigate('/requests');
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNotice error={error} />
      {live ? (
        <p className="muted small" aria-live="polite">
          Live: new requests appear at the top every {LIVE_INTERVAL_MS / 1_000} s.
        </p>
      ) : null}
      <RequestTable rows={rows} label="Requests, newest first" />
      {rows.length === 0 && error === undefined ? <p className="muted">No request matches.</p> : null}
      {cursor !== null ? (
        <button type="button" onClick={() => void loadMore()}>
          Load older requests
        </button>
      ) : null}
    </section>
  );
}
