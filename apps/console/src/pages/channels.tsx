import { useState, type FormEvent, type ReactNode } from 'react';
import { CHANNEL_TYPES, type ChannelTestResult, type ChannelView } from '@gw/contracts';
import type { PageProps } from '../app';
import { formatDuration, formatTime } from '../lib/format';
import { can } from '../lib/session';
import { Badge, ErrorNotice, FormButtons, Loading, PageHeader, useAction, useLoad } from '../components/ui';

/** Upstream channels: state and last test, add and edit (credential write-only), enable/disable, test. */
export function ChannelsPage({ api, session }: PageProps): ReactNode {
  const channels = useLoad(() => api.get<{ items: ChannelView[] }>('/channels'), [api]);
  const [editing, setEditing] = useState<ChannelView | 'new' | undefined>();
  const [testing, setTesting] = useState<string>();
  const action = useAction();
  const writable = can(session, 'channels:write');

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    await action.run(work);
    channels.reload();
  };
  const test = (channel: ChannelView): Promise<void> =>
    act(async () => {
      setTesting(channel.name);
      try {
        await api.send<ChannelTestResult>('POST', `/channels/${encodeURIComponent(channel.name)}/test`, {});
      } finally {
        setTesting(undefined);
      }
    });

  return (
    <section aria-labelledby="channels-title">
      <PageHeader title="Channels">
        {writable ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Add channel
          </button>
        ) : null}
      </PageHeader>
      <p className="muted">The upstream providers the gateway forwards to. Credentials are write-only: the API never shows them again.</p>
      {editing !== undefined ? (
        <ChannelForm
          api={api}
          channel={editing === 'new' ? undefined : editing}
          onDone={() => {
            setEditing(undefined);
            channels.reload();
          }}
        />
      ) : null}
      <ErrorNotice error={channels.error ?? action.error} />
      <Loading loading={channels.loading && channels.data === undefined} />
      {channels.data?.items.length === 0 ? (
        <p>No channel yet.{writable ? ' Add one: the gateway needs at least one upstream.' : ''}</p>
      ) : null}
      <div className="table-wrap">
        <table aria-labelledby="channels-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Models</th>
              <th scope="col">State</th>
              <th scope="col">Credential</th>
              <th scope="col">Last test</th>
              {writable ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {channels.data?.items.map((channel) => (
              <tr key={channel.id} data-channel={channel.name}>
                <th scope="row">
                  {channel.name}
                  <div className="muted small">{channel.base_url}</div>
                </th>
                <td>{channel.type}</td>
                <td>{channel.models.join(', ')}</td>
                <td>{channel.enabled ? <Badge tone="ok">enabled</Badge> : <Badge tone="neutral">disabled</Badge>}</td>
                <td className="mono">{channel.api_key.last4 === null ? 'set' : `••••${channel.api_key.last4}`}</td>
                <td data-testid="last-test">
                  <TestResult result={channel.last_test} />
                </td>
                {writable ? (
                  <td className="row-actions">
                    <button
                      type="button"
                      onClick={() => void test(channel)}
                      disabled={testing !== undefined}
                      aria-label={`Test ${channel.name}`}
                    >
                      {testing === channel.name ? 'Testing…' : 'Test'}
                    </button>
                    <button type="button" onClick={() => setEditing(channel)} aria-label={`Edit ${channel.name}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      aria-label={`${channel.enabled ? 'Disable' : 'Enable'} ${channel.name}`}
                      onClick={() =>
                        void act(() => api.send('PATCH', `/channels/${encodeURIComponent(channel.name)}`, { enabled: !channel.enabled }))
                      }
                    >
                      {channel.enabled ? 'Disable' : 'Enable'}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TestResult({ result }: { result: ChannelTestResult | null }): ReactNode {
  if (result === null) return <span className="muted">never tested</span>;
  return (
    <span title={formatTime(result.at)}>
      {result.ok ? <Badge tone="ok">ok</Badge> : <Badge tone="bad">failed</Badge>} {formatDuration(result.latency_ms)}
      {result.status !== null ? <span className="muted"> · HTTP {result.status}</span> : null}
      {result.error ? <div className="error-text small">{result.error}</div> : null}
    </span>
  );
}

/** Add (no `channel`) or edit. The credential field is empty either way: on edit, empty keeps the stored one. */
function ChannelForm(props: { api: PageProps['api']; channel?: ChannelView; onDone: () => void }): ReactNode {
  const existing = props.channel;
  const [name, setName] = useState(existing?.name ?? '');
  const [type, setType] = useState<string>(existing?.type ?? 'openai');
  const [baseUrl, setBaseUrl] = useState(existing?.base_url ?? '');
  const [models, setModels] = useState(existing?.models.join(', ') ?? '');
  const [apiKey, setApiKey] = useState('');
  const [timeout, setTimeoutMs] = useState(existing?.timeout_ms === null || existing === undefined ? '' : String(existing.timeout_ms));
  const save = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const fields: Record<string, unknown> = {
      name: name.trim(),
      type,
      base_url: baseUrl.trim(),
      models: models
        .split(',')
        .map((model) => model.trim())
        .filter((model) => model !== ''),
      timeout_ms: timeout.trim() === '' ? null : Number(timeout),
    };
    if (apiKey !== '') fields.api_key = apiKey;
    const saved = await save.run(() =>
      existing === undefined
        ? props.api.send('POST', '/channels', fields)
        : props.api.send('PATCH', `/channels/${encodeURIComponent(existing.name)}`, fields),
    );
    if (saved) props.onDone();
  };

  return (
    <form
      className="panel"
      onSubmit={(event) => void submit(event)}
      aria-label={existing ? `Edit channel ${existing.name}` : 'Add a channel'}
    >
      <h2>{existing ? `Edit ${existing.name}` : 'Add a channel'}</h2>
      <div className="grid">
        <label className="field">
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required pattern="[A-Za-z0-9._\-]{1,64}" />
        </label>
        <label className="field">
          Type
          <select value={type} onChange={(event) => setType(event.target.value)}>
            {CHANNEL_TYPES.map((value) => (
              <option key={value} value={value}>
                {value === 'openai' ? 'openai (Chat Completions)' : `${value} (Responses)`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          Base URL
          <input
            type="url"
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            required
            placeholder="https://api.deepseek.com"
          />
        </label>
        <label className="field">
          Models (comma-separated)
          <input
            value={models}
            onChange={(event) => setModels(event.target.value)}
            required
            placeholder="deepseek-chat, deepseek-reasoner"
          />
        </label>
        <div className="field">
          <label className="field">
            API key
            <input
              type="password"
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.target.value)}
              required={existing === undefined}
              aria-describedby="channel-key-help"
              placeholder={existing ? `${existing.api_key.last4 ? `••••${existing.api_key.last4}` : 'set'}: leave empty to keep` : ''}
            />
          </label>
          <small id="channel-key-help">Write-only: stored encrypted, never shown again.</small>
        </div>
        <label className="field">
          Timeout to headers, ms (optional)
          <input type="number" min={1} value={timeout} onChange={(event) => setTimeoutMs(event.target.value)} />
        </label>
      </div>
      <ErrorNotice error={save.error} />
      <FormButtons submit={existing ? 'Save channel' : 'Add channel'} onCancel={props.onDone} disabled={save.busy} />
    </form>
  );
}
