import { useMemo, useState, type ReactNode } from 'react';
import { createApi, type Api } from './lib/api';
import { clearSession, loadSession, saveSession, type ConsoleSession } from './lib/session';
import { matchRoute, navigate, useLocation } from './lib/router';
import { Link } from './components/ui';
import { LoginPage } from './pages/login';
import { ChannelsPage } from './pages/channels';
import { KeysPage } from './pages/keys';
import { ProfilesPage } from './pages/profiles';
import { RequestLogPage } from './pages/request-log';
import { RequestDetailPage } from './pages/request-detail';
import { ConversationsPage } from './pages/conversations';
import { ConversationPage } from './pages/conversation';
import { UsagePage } from './pages/usage';

export interface PageProps {
  api: Api;
  session: ConsoleSession;
}

const NAV = [
  { to: '/channels', label: 'Channels' },
  { to: '/keys', label: 'API keys' },
  { to: '/requests', label: 'Request log' },
  { to: '/conversations', label: 'Conversations' },
  { to: '/usage', label: 'Usage' },
] as const;

export function App(): ReactNode {
  const [session, setSession] = useState<ConsoleSession | null>(() => loadSession(window.sessionStorage));
  const location = useLocation();
  const logOut = (): void => {
    clearSession(window.sessionStorage);
    setSession(null);
  };
  const api = useMemo(() => createApi(session?.token, logOut), [session?.token]);

  if (session === null) {
    return (
      <LoginPage
        onLogin={(next) => {
          saveSession(window.sessionStorage, next);
          setSession(next);
          if (location.path === '/' || location.path === '/login') navigate('/channels', { replace: true });
        }}
      />
    );
  }

  const logOutEverywhere = async (): Promise<void> => {
    // A login session is revoked on the server too; a pasted admin token stays valid (it is only forgotten here).
    if (session.expires_at !== null) await api.send('POST', '/logout').catch(() => undefined);
    logOut();
  };

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">AxonHub console</span>
        <nav aria-label="Console sections">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={location.path.startsWith(item.to) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span data-testid="who">
            {session.name} · <strong>{session.role}</strong>
            {session.project === null ? '' : ' (one project)'}
          </span>
          <button type="button" onClick={() => void logOutEverywhere()}>
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page path={location.path} search={location.search} api={api} session={session} />
      </main>
    </div>
  );
}

function Page(props: PageProps & { path: string; search: string }): ReactNode {
  const { path, search, ...page } = props;
  let params: Record<string, string> | undefined;
  if (path === '/' || path === '/login' || matchRoute('/channels', path)) return <ChannelsPage {...page} />;
  if (matchRoute('/keys', path)) return <KeysPage {...page} />;
  if ((params = matchRoute('/keys/:id/profiles', path))) return <ProfilesPage {...page} keyId={params.id!} />;
  if (matchRoute('/requests', path)) return <RequestLogPage {...page} search={search} />;
  if ((params = matchRoute('/requests/:id', path))) return <RequestDetailPage {...page} requestId={params.id!} />;
  if (matchRoute('/conversations', path)) return <ConversationsPage {...page} />;
  if ((params = matchRoute('/conversations/:key', path))) return <ConversationPage {...page} conversationKey={params.key!} />;
  if (matchRoute('/usage', path)) return <UsagePage {...page} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        No console page at <code>{path}</code>. <Link to="/channels">Go to channels</Link>.
      </p>
    </section>
  );
}
