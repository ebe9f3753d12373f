import type { ReactNode } from 'react';
import type { ConversationView, Page } from '@gw/contracts';
import type { PageProps } from '../app';
import { formatCount, formatTime } from '../lib/format';
import { ErrorNotice, Link, Loading, PageHeader, useLoad } from '../components/ui';
import { TraceLink } from './conversation';

/** Conversations (requests grouped by conversation key, e.g. one Codex session), most recent first. */
export function ConversationsPage({ api }: PageProps): ReactNode {
  const conversations = useLoad(() => api.get<Page<ConversationView>>('/conversations?limit=100'), [api]);
  return (
    <section>
      <PageHeader title="Conversations">
        <button type="button" onClick={conversations.reload}>
          Refresh
        </button>
      </PageHeader>
      <ErrorNotice error={conversations.error} />
      <Loading loading={conversations.loading && conversations.data === undefined} />
      {conversations.data?.items.length === 0 ? <p className="muted">No conversation yet.</p> : null}
      <div className="table-wrap">
        <table aria-label="Conversations, most recent first">
          <thead>
            <tr>
              <th scope="col">Conversation</th>
              <th scope="col">Project</th>
              <th scope="col">Requests</th>
              <th scope="col">First</th>
              <th scope="col">Last</th>
              <th scope="col">Tokens (in / out)</th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {conversations.data?.items.map((conversation) => (
              <tr key={conversation.conversation_key} data-conversation={conversation.conversation_key}>
                <th scope="row">
                  <Link to={`/conversations/${encodeURIComponent(conversation.conversation_key)}`}>{conversation.conversation_key}</Link>
                </th>
                <td>{conversation.project ?? '—'}</td>
                <td>{conversation.requests}</td>
                <td>{formatTime(conversation.first_at)}</td>
                <td>{formatTime(conversation.last_at)}</td>
                <td>
                  {formatCount(conversation.tokens.input)} / {formatCount(conversation.tokens.output)}
                </td>
                <td>{conversation.trace_url === null ? <span className="muted">—</span> : <TraceLink url={conversation.trace_url} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
