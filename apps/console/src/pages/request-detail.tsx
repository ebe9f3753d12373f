import type { ReactNode } from 'react';
import type { RequestLogDetailView } from '@gw/contracts';
import type { PageProps } from '../app';
import { formatCount, formatDuration, formatTime } from '../lib/format';
import { StatusBadge } from '../components/request-table';
import { ErrorNotice, Link, Loading, PageHeader, useLoad } from '../components/ui';

/** One request: what was asked and mapped, timings, tokens, warnings, and its bodies when capture was on. */
export function RequestDetailPage({ api, requestId }: PageProps & { requestId: string }): ReactNode {
  const detail = useLoad(() => api.get<RequestLogDetailView>(`/request-logs/${encodeURIComponent(requestId)}`), [api, requestId]);
  const row = detail.data;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/requests">Request log</Link> / {requestId}
      </p>
      <PageHeader title="Request" />
      <ErrorNotice error={detail.error} />
      <Loading loading={detail.loading && row === undefined} />
      {row ? (
        <>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={row.status} /> {row.error_code ? `${row.error_code}: ${row.error_message ?? ''}` : null}
            </dd>
            <dt>Started</dt>
            <dd>{formatTime(row.started_at)}</dd>
            <dt>Endpoint</dt>
            <dd>
              {row.endpoint} ({row.client_protocol}, {row.stream ? 'streamed' : 'whole'})
            </dd>
            <dt>Key · project</dt>
            <dd>
              {row.api_key_name ?? '—'} · {row.project ?? '—'}
            </dd>
            <dt>Model</dt>
            <dd>
              {row.requested_model ?? '—'} → <strong>{row.mapped_model ?? '—'}</strong> on {row.channel ?? '—'}
            </dd>
            <dt>Latency · time to first token</dt>
            <dd>
              {formatDuration(row.latency_ms)} · {formatDuration(row.ttft_ms)}
            </dd>
            <dt>Tokens</dt>
            <dd>
              in {formatCount(row.tokens.input)} (cached {formatCount(row.tokens.cached_input)}) · out {formatCount(row.tokens.output)}{' '}
              (reasoning {formatCount(row.tokens.reasoning)}) · total {formatCount(row.tokens.total)}
            </dd>
            <dt>Conversation</dt>
            <dd>
              {row.conversation_key ? (
                <Link to={`/conversations/${encodeURIComponent(row.conversation_key)}`}>{row.conversation_key}</Link>
              ) : (
                '—'
              )}
              {row.conversation_source ? <span className="muted"> (from {row.conversation_source})</span> : null}
            </dd>
            <dt>Warnings</dt>
            <dd>{row.warnings.length === 0 ? 'none' : row.warnings.join('; ')}</dd>
          </dl>
          {row.capture ? (
            <>
              <h2>Request body{row.capture.request_truncated ? ' (truncated)' : ''}</h2>
              <pre className="body">{pretty(row.capture.request_body)}</pre>
              <h2>Response body{row.capture.response_truncated ? ' (truncated)' : ''}</h2>
              <pre className="body">{pretty(row.capture.response_body)}</pre>
            </>
          ) : (
            <p className="muted">
              No bodies: capture was off for this request (server.trace.capture, or the project&apos;s capture_bodies).
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
