import { useState, type FormEvent, type ReactNode } from 'react';
import type { AdminActor, SessionView } from '@gw/contracts';
import { createApi } from '../lib/api';
import { useAction } from '../components/ui';
import type { ConsoleSession } from '../lib/session';

/** Log in with an admin token (pasted) or a control-plane user (name and password → a session token). */
export function LoginPage(props: { onLogin: (session: ConsoleSession) => void }): ReactNode {
  const [mode, setMode] = useState<'user' | 'token'>('token');
  const [token, setToken] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [project, setProject] = useState('');
  const login = useAction();
  const error = login.error;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await login.run(async () => {
      if (mode === 'token') {
        const actor = await createApi(token.trim()).get<AdminActor>('/session');
        props.onLogin({ token: token.trim(), role: actor.role, name: actor.token_name, project: actor.project_id, expires_at: null });
      } else {
        const body: Record<string, string> = { name, password };
        if (project.trim() !== '') body.project = project.trim();
        const session = await createApi(undefined).send<SessionView>('POST', '/login', body);
        props.onLogin({ token: session.token, role: session.role, name, project: session.project, expires_at: session.expires_at });
      }
    });
  };

  return (
    <main className="login" id="main">
      <h1>AxonHub console</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby={error ? 'login-error' : undefined}>
        <fieldset className="tabs">
          <legend>Log in with</legend>
          <label>
            <input type="radio" name="mode" checked={mode === 'token'} onChange={() => setMode('token')} /> Admin token
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === 'user'} onChange={() => setMode('user')} /> User name and password
          </label>
        </fieldset>
        {mode === 'token' ? (
          <div className="field">
            <label className="field">
              Admin token
              <input
                type="password"
                autoComplete="off"
                value={token}
                onChange={(event) => setToken(event.target.value)}
                required
                autoFocus
                aria-describedby="token-help"
              />
            </label>
            <small id="token-help">
              The token a first start printed (export AXONHUB_ADMIN_TOKEN=…), or one from `axonhub tokens create`.
            </small>
          </div>
        ) : (
          <>
            <label className="field">
              Name
              <input autoComplete="username" value={name} onChange={(event) => setName(event.target.value)} required autoFocus />
            </label>
            <label className="field">
              Password
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(event) => setPassword(event.target.value)}
                required
              />
            </label>
            <label className="field">
              Project (optional)
              <input value={project} onChange={(event) => setProject(event.target.value)} />
            </label>
          </>
        )}
        {error ? (
          <p id="login-error" className="notice error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={login.busy}>
          {login.busy ? 'Logging in…' : 'Log in'}
        </button>
        <p className="muted small">The token is kept in this tab only (sessionStorage) and forgotten when the tab closes.</p>
      </form>
    </main>
  );
}
