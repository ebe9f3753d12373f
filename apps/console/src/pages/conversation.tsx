import type { ReactNode } from 'react';
import type { Page, RequestLogDetailView, RequestLogView } from '@gw/contracts';
import type { PageProps } from '../app';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { turnContent, type TurnPart } from '../lib/turns';
import { StatusBadge } from '../components/request-table';
import { ErrorNotice, Link, Loading, PageHeader, useLoad } from '../components/ui';

/** Every turn of one conversation in order: prompt, answer, tool calls and results, reasoning, timings, models. */
export function ConversationPage({ api, conversationKey }: PageProps & { conversationKey: string }): ReactNode {
  const turns = useLoad(async () => {
    const key = encodeURIComponent(conversationKey);
    const rows: RequestLogView[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=200' : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
      const page: Page<RequestLogView> = await api.get<Page<RequestLogView>>(`/conversations/${key}/requests${query}`);
      rows.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor !== null && rows.length < 1_000);
    // The bodies come with each request's detail (when capture was on for it).
    return Promise.all(rows.map((row) => api.get<RequestLogDetailView>(`/request-logs/${encodeURIComponent(row.request_id)}`)));
  }, [api, conversationKey]);

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/conversations">Conversations</Link> / {conversationKey}
      </p>
      <PageHeader title="Conversation">
        <TraceLink url={turns.data?.[0]?.trace_url ?? null} />
        <button type="button" onClick={turns.reload}>
          Refresh
        </button>
      </PageHeader>
      <ErrorNotice error={turns.error} />
      <Loading loading={turns.loading && turns.data === undefined} />
      {turns.data?.length === 0 ? <p className="muted">No request in this conversation (or it is outside your project).</p> : null}
      <ol className="turns">
        {turns.data?.map((turn, index) => (
          <Turn key={turn.request_id} turn={turn} number={index + 1} />
        ))}
      </ol>
    </section>
  );
}

function Turn({ turn, number }: { turn: RequestLogDetailView; number: number }): ReactNode {
  const content = turn.capture ? turnContent(turn.capture.request_body, turn.capture.response_body) : undefined;
  return (
    <li className="turn" data-testid="turn" aria-labelledby={`turn-${number}`}>
      <header>
        <h2 id={`turn-${number}`}>Turn {number}</h2>
        <StatusBadge status={turn.status} />
        <span>
          {turn.requested_model ?? '—'} → <strong>{turn.mapped_model ?? '—'}</strong> on {turn.channel ?? '—'}
        </span>
        <span className="muted">
          {formatTime(turn.started_at)} · latency {formatDuration(turn.latency_ms)} · TTFT {formatDuration(turn.ttft_ms)} · tokens{' '}
          {formatCount(turn.tokens.input)} in / {formatCount(turn.tokens.output)} out
        </span>
        <Link to={`/requests/${turn.request_id}`}>Request details</Link>
      </header>
      {content === undefined ? (
        <p className="muted">Bodies were not captured for this request.</p>
      ) : (
        <div className="turn-body">
          <Parts title="Prompt" parts={content.prompt} />
          <Parts title="Answer" parts={content.answer} />
        </div>
      )}
      {turn.error_message ? <p className="error-text">{turn.error_message}</p> : null}
    </li>
  );
}

function Parts({ title, parts }: { title: string; parts: TurnPart[] }): ReactNode {
  return (
    <div className={`parts ${title.toLowerCase()}`}>
      <h3>{title}</h3>
      {parts.length === 0 ? <p className="muted">—</p> : null}
      {parts.map((part, index) => (
        <PartView key={index} part={part} />
      ))}
    </div>
  );
}

function PartView({ part }: { part: TurnPart }): ReactNode {
  switch (part.kind) {
    case 'text':
      return part.role === 'user' || part.role === 'assistant' ? (
        <p className={`message ${part.role}`}>{part.text}</p>
      ) : (
        <details className="message instructions">
          <summary>{part.role} message</summary>
          <pre>{part.text}</pre>
        </details>
      );
    case 'reasoning':
      return (
        <details className="reasoning" open>
          <summary>Reasoning summary</summary>
          <p>{part.text}</p>
        </details>
      );
    case 'tool_call':
      return (
        <div className="tool-call">
          <span className="label">Tool call</span> <code>{part.name}</code>
          <pre>{part.arguments}</pre>
        </div>
      );
    case 'tool_result':
      return (
        <div className="tool-result">
          <span className="label">Tool result</span>
          <pre>{part.output}</pre>
        </div>
      );
  }
}

/** The conversation's one trace in Jaeger or Grafana (otel.trace_view_url), opened in a new tab. */
export function TraceLink({ url }: { url: string | null }): ReactNode {
  if (url === null) return null;
  return (
    <a href={url} target="_blank" rel="noreferrer noopener" data-testid="trace-link">
      Open trace
    </a>
  );
}
