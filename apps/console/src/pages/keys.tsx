import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiKeyView, ProjectView } from '@gw/contracts';
import type { PageProps } from '../app';
import { clientBaseUrl, codexConfigToml, exportLine } from '../lib/codex-config';
import { formatTime, fromLocalInput } from '../lib/format';
import { can } from '../lib/session';
import { Badge, CopyButton, ErrorNotice, FormButtons, Link, Loading, PageHeader, useAction, useLoad } from '../components/ui';

type CreatedKey = ApiKeyView & { key: string };

/** API keys: create (the secret shown once, with what to paste into Codex), revoke, expiry, project. */
export function KeysPage({ api, session }: PageProps): ReactNode {
  const keys = useLoad(() => api.get<{ items: ApiKeyView[] }>('/api-keys'), [api]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedKey>();
  const action = useAction();
  const writable = can(session, 'keys:write');

  const revoke = async (key: ApiKeyView): Promise<void> => {
    if (!window.confirm(`Revoke "${key.name}"? Its next request is refused; this cannot be undone.`)) return;
    await action.run(() => api.send('DELETE', `/api-keys/${key.id}`));
    keys.reload();
  };

  return (
    <section aria-labelledby="keys-title">
      <PageHeader title="API keys">
        {writable ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            Create key
          </button>
        ) : null}
      </PageHeader>
      {creating ? (
        <CreateKeyForm
          api={api}
          onCancel={() => setCreating(false)}
          onCreated={(key) => {
            setCreating(false);
            setCreated(key);
            keys.reload();
          }}
        />
      ) : null}
      {created ? <CreatedKeyPanel created={created} onClose={() => setCreated(undefined)} /> : null}
      <ErrorNotice error={keys.error ?? action.error} />
      <Loading loading={keys.loading && keys.data === undefined} />
      {keys.data?.items.length === 0 ? <p>No API key yet.</p> : null}
      <div className="table-wrap">
        <table aria-labelledby="keys-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Project</th>
              <th scope="col">Active profile</th>
              <th scope="col">State</th>
              <th scope="col">Expires</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.items.map((key) => (
              <tr key={key.id} data-key={key.name}>
                <th scope="row">{key.name}</th>
                <td className="mono">{key.prefix}…</td>
                <td>{key.project}</td>
                <td>{key.active_profile ?? <span className="muted">none</span>}</td>
                <td>
                  <Badge tone={key.state === 'active' ? 'ok' : 'neutral'}>{key.state}</Badge>
                </td>
                <td>{key.expires_at ? formatTime(key.expires_at) : <span className="muted">never</span>}</td>
                <td className="row-actions">
                  <Link to={`/keys/${key.id}/profiles`}>Profiles</Link>
                  {writable && key.state === 'active' ? (
                    <button type="button" onClick={() => void revoke(key)} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CreateKeyForm(props: { api: PageProps['api']; onCancel: () => void; onCreated: (key: CreatedKey) => void }): ReactNode {
  const projects = useLoad(() => props.api.get<{ items: ProjectView[] }>('/projects'), [props.api]);
  const [name, setName] = useState('');
  const [project, setProject] = useState('');
  const [expires, setExpires] = useState('');
  const create = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const body: Record<string, unknown> = { name: name.trim() };
    if (project !== '') body.project = project;
    if (expires !== '') body.expires_at = fromLocalInput(expires) ?? expires;
    await create.run(async () => props.onCreated(await props.api.send<CreatedKey>('POST', '/api-keys', body)));
  };

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} aria-label="Create an API key">
      <h2>Create an API key</h2>
      <div className="grid">
        <label className="field">
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus />
        </label>
        <label className="field">
          Project
          <select value={project} onChange={(event) => setProject(event.target.value)}>
            <option value="">Default (your token&apos;s project, else “default”)</option>
            {projects.data?.items.map((item) => (
              <option key={item.id} value={item.name}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Expires (optional)
          <input type="datetime-local" value={expires} onChange={(event) => setExpires(event.target.value)} />
        </label>
      </div>
      <ErrorNotice error={create.error ?? projects.error} />
      <FormButtons submit="Create key" onCancel={props.onCancel} disabled={create.busy} />
    </form>
  );
}

/** The only time the secret is shown: the key, the env line and Codex's config, each with a copy button. */
function CreatedKeyPanel(props: { created: CreatedKey; onClose: () => void }): ReactNode {
  const baseUrl = clientBaseUrl(window.location.origin);
  const env = exportLine(props.created.key);
  const toml = codexConfigToml(baseUrl);
  return (
    <div className="panel created" role="region" aria-labelledby="created-title">
      <h2 id="created-title">Key “{props.created.name}” created</h2>
      <p className="notice warn">Copy it now: the gateway keeps only a hash and will never show it again.</p>
      <label className="field">
        API key
        <input
          readOnly
          value={props.created.key}
          className="mono"
          data-testid="created-secret"
          onFocus={(event) => event.target.select()}
        />
      </label>
      <CopyButton text={props.created.key} label="Copy key" />
      <h3>Use it with Codex</h3>
      <p>In your shell:</p>
      <pre data-testid="export-line">{env}</pre>
      <CopyButton text={env} label="Copy export line" />
      <p>
        In <code>~/.codex/config.toml</code>:
      </p>
      <pre data-testid="codex-config">{toml}</pre>
      <CopyButton text={toml} label="Copy config.toml" />
      <div className="form-actions">
        <Link to={`/keys/${props.created.id}/profiles`}>Add model profiles to this key</Link>
        <button type="button" onClick={props.onClose}>
          Done
        </button>
      </div>
    </div>
  );
}
