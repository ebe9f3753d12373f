import { fromLocalInput } from './format';

/** The request log's filter form, as typed (strings; empty means "any"). */
export interface RequestLogFilterForm {
  api_key: string;
  model: string;
  channel: string;
  status: string;
  conversation: string;
  since: string;
  until: string;
}

export const EMPTY_FILTERS: RequestLogFilterForm = {
  api_key: '',
  model: '',
  channel: '',
  status: '',
  conversation: '',
  since: '',
  until: '',
};

const FIELDS = Object.keys(EMPTY_FILTERS) as (keyof RequestLogFilterForm)[];

/** The same rule as the trace service's (`status=`): one code, a class (`4xx`) or `error`. */
const STATUS = /^(?:[1-5]\d\d|[1-5]xx|error)$/;

export type FilterProblems = Partial<Record<keyof RequestLogFilterForm, string>>;

/** What is wrong with the form, by field, before anything is sent (the API would answer 400 naming the same field). */
export function filterProblems(form: RequestLogFilterForm): FilterProblems {
  const problems: FilterProblems = {};
  const status = form.status.trim().toLowerCase();
  if (status !== '' && !STATUS.test(status)) problems.status = 'A code (429), a class (2xx, 4xx, 5xx) or "error".';
  for (const field of ['since', 'until'] as const) {
    if (form[field].trim() !== '' && fromLocalInput(form[field]) === undefined) problems[field] = 'Not a date and time.';
  }
  const since = fromLocalInput(form.since);
  const until = fromLocalInput(form.until);
  if (since !== undefined && until !== undefined && since > until) problems.since = 'Must not be after "until".';
  return problems;
}

/** The admin API's query string for the form (times as ISO instants); empty fields are left out. */
export function filterQuery(form: RequestLogFilterForm, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const field of FIELDS) {
    const value = form[field].trim();
    if (value === '') continue;
    if (field === 'since' || field === 'until') {
      const instant = fromLocalInput(value);
      if (instant !== undefined) query.set(field, instant);
    } else {
      query.set(field, field === 'status' ? value.toLowerCase() : value);
    }
  }
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** The form kept in the page's own URL (`/console/requests?model=gpt-5`), so a filtered view can be shared or reloaded. */
export function filtersFromSearch(search: string): RequestLogFilterForm {
  const params = new URLSearchParams(search);
  const form = { ...EMPTY_FILTERS };
  for (const field of FIELDS) form[field] = params.get(field) ?? '';
  return form;
}

export function filtersToSearch(form: RequestLogFilterForm): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (form[field].trim() !== '') params.set(field, form[field].trim());
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
