import type { ReactNode } from 'react';
import type { RequestLogView } from '@gw/contracts';
import { formatCount, formatDuration, formatTime, statusTone } from '../lib/format';
import { Badge, Link } from './ui';

/** Request-log rows (the request log and a conversation's requests share it). */
export function RequestTable(props: { rows: RequestLogView[]; label: string }): ReactNode {
  return (
    <div className="table-wrap">
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Key</th>
            <th scope="col">Model (requested → mapped)</th>
            <th scope="col">Channel</th>
            <th scope="col">Latency</th>
            <th scope="col">TTFT</th>
            <th scope="col">Tokens</th>
            <th scope="col">Conversation</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.request_id} data-request={row.request_id}>
              <td>
                <Link to={`/requests/${row.request_id}`}>{formatTime(row.started_at)}</Link>
              </td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td>{row.api_key_name ?? '—'}</td>
              <td>
                {row.requested_model ?? '—'} → <strong>{row.mapped_model ?? '—'}</strong>
              </td>
              <td>{row.channel ?? '—'}</td>
              <td>{formatDuration(row.latency_ms)}</td>
              <td>{formatDuration(row.ttft_ms)}</td>
              <td>{formatCount(row.tokens.total)}</td>
              <td>
                {row.conversation_key ? (
                  <Link to={`/conversations/${encodeURIComponent(row.conversation_key)}`}>{row.conversation_key.slice(0, 12)}…</Link>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatusBadge({ status }: { status: number }): ReactNode {
  const tone = statusTone(status);
  return <Badge tone={tone === 'ok' ? 'ok' : tone === 'client-error' ? 'warn' : 'bad'}>{status}</Badge>;
}
