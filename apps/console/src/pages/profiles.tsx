import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiKeyView, DryRunView, ProfileView } from '@gw/contracts';
import type { PageProps } from '../app';
import type { RuleDraft } from '../lib/rules';
import { can } from '../lib/session';
import { RuleEditor, rulesAreValid } from '../components/rule-editor';
import { Badge, ErrorNotice, FormButtons, Link, Loading, PageHeader, useAction, useLoad } from '../components/ui';

/** A key's model profiles: ordered rules, one-click active switch, and a tester (the dry-run endpoint). */
export function ProfilesPage({ api, session, keyId }: PageProps & { keyId: string }): ReactNode {
  const key = useLoad(() => api.get<ApiKeyView>(`/api-keys/${keyId}`), [api, keyId]);
  const profiles = useLoad(() => api.get<{ items: ProfileView[] }>(`/api-keys/${keyId}/profiles`), [api, keyId]);
  /** The profile being edited, or 'new'. */
  const [editing, setEditing] = useState<string>();
  const action = useAction();
  const writable = can(session, 'keys:write');

  const reload = (): void => {
    key.reload();
    profiles.reload();
  };
  const act = async (work: () => Promise<unknown>): Promise<void> => {
    await action.run(work);
    reload();
  };
  const activate = (profile: string | null): Promise<void> => act(() => api.send('PUT', `/api-keys/${keyId}/active-profile`, { profile }));

  return (
    <section aria-labelledby="profiles-title">
      <p className="breadcrumb">
        <Link to="/keys">API keys</Link> / {key.data?.name ?? keyId}
      </p>
      <PageHeader title={`Model profiles of ${key.data?.name ?? 'this key'}`}>
        {writable ? (
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            New profile
          </button>
        ) : null}
      </PageHeader>
      <p className="muted">
        A profile maps the model a client asks for to the model an upstream serves. The key&apos;s active profile applies to every request;
        switch it here and the next request uses it (no client restart).
      </p>
      <ErrorNotice error={key.error ?? profiles.error ?? action.error} />
      <Loading loading={profiles.loading && profiles.data === undefined} />
      {editing === 'new' ? (
        <ProfileForm
          api={api}
          keyId={keyId}
          onDone={() => {
            setEditing(undefined);
            reload();
          }}
        />
      ) : null}
      {profiles.data?.items.length === 0 ? <p>No profile yet: requests keep the model they asked for.</p> : null}
      <div className="cards">
        {profiles.data?.items.map((profile) => (
          <article
            key={profile.name}
            className={profile.active ? 'card active' : 'card'}
            aria-labelledby={`profile-${profile.name}`}
            data-profile={profile.name}
          >
            <header>
              <h2 id={`profile-${profile.name}`}>{profile.name}</h2>
              {profile.active ? <Badge tone="ok">active</Badge> : null}
              {writable && !profile.active ? (
                <button
                  type="button"
                  className="primary"
                  onClick={() => void activate(profile.name)}
                  aria-label={`Make ${profile.name} active`}
                >
                  Make active
                </button>
              ) : null}
              {writable && profile.active ? (
                <button type="button" onClick={() => void activate(null)} aria-label={`Deactivate ${profile.name}`}>
                  Deactivate
                </button>
              ) : null}
            </header>
            {editing === profile.name ? (
              <ProfileForm
                api={api}
                keyId={keyId}
                profile={profile}
                onDone={() => {
                  setEditing(undefined);
                  reload();
                }}
              />
            ) : (
              <>
                <ol className="rule-list">
                  {profile.rules.map((rule, index) => (
                    <li key={index}>
                      <code>{rule.from}</code> → <code>{rule.to}</code>
                    </li>
                  ))}
                </ol>
                {writable ? (
                  <div className="form-actions">
                    <button type="button" onClick={() => setEditing(profile.name)} aria-label={`Edit rules of ${profile.name}`}>
                      Edit rules
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete ${profile.name}`}
                      onClick={() => {
                        if (window.confirm(`Delete profile "${profile.name}"?`))
                          void act(() => api.send('DELETE', `/api-keys/${keyId}/profiles/${encodeURIComponent(profile.name)}`));
                      }}
                    >
                      Delete
                    </button>
                  </div>
                ) : null}
              </>
            )}
          </article>
        ))}
      </div>
      <MappingTester api={api} keyId={keyId} profiles={profiles.data?.items ?? []} />
    </section>
  );
}

function ProfileForm(props: { api: PageProps['api']; keyId: string; profile?: ProfileView; onDone: () => void }): ReactNode {
  const [name, setName] = useState(props.profile?.name ?? '');
  const [rules, setRules] = useState<RuleDraft[]>(props.profile?.rules.map((rule) => ({ ...rule })) ?? [{ from: '', to: '' }]);
  const save = useAction();
  const valid = rulesAreValid(rules) && name.trim() !== '';

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const saved = await save.run(() =>
      props.profile === undefined
        ? props.api.send('POST', `/api-keys/${props.keyId}/profiles`, { name: name.trim(), rules })
        : props.api.send('PUT', `/api-keys/${props.keyId}/profiles/${encodeURIComponent(props.profile.name)}`, { rules }),
    );
    if (saved) props.onDone();
  };

  const idPrefix = `rules-${props.profile?.name ?? 'new'}`;
  return (
    <form
      className="panel"
      onSubmit={(event) => void submit(event)}
      aria-label={props.profile ? `Edit ${props.profile.name}` : 'New profile'}
    >
      {props.profile === undefined ? (
        <>
          <h2>New profile</h2>
          <label className="field">
            Profile name
            <input value={name} onChange={(event) => setName(event.target.value)} required autoFocus />
          </label>
        </>
      ) : null}
      <p className="muted small">
        Rules are tried in order; the first match wins. A plain name matches exactly (dots included); anything with regex syntax is a regex
        matching the whole name.
      </p>
      <RuleEditor rules={rules} onChange={setRules} idPrefix={idPrefix} />
      <ErrorNotice error={save.error} />
      <FormButtons submit="Save profile" onCancel={props.onDone} disabled={!valid || save.busy} />
    </form>
  );
}

/** "Type gpt-4, see the mapped model and the channel it reaches", with the key's active profile or another one. */
function MappingTester(props: { api: PageProps['api']; keyId: string; profiles: ProfileView[] }): ReactNode {
  const [model, setModel] = useState('');
  const [profile, setProfile] = useState('');
  const [result, setResult] = useState<DryRunView>();
  const dryRun = useAction();

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setResult(undefined);
    const body: Record<string, string> = { model: model.trim() };
    if (profile !== '') body.profile = profile;
    await dryRun.run(async () => setResult(await props.api.send<DryRunView>('POST', `/api-keys/${props.keyId}/dry-run`, body)));
  };

  return (
    <form className="panel tester" onSubmit={(event) => void submit(event)} aria-labelledby="tester-title">
      <h2 id="tester-title">Try a model name</h2>
      <div className="grid">
        <label className="field">
          Requested model
          <input value={model} onChange={(event) => setModel(event.target.value)} required placeholder="gpt-4" />
        </label>
        <label className="field">
          With profile
          <select value={profile} onChange={(event) => setProfile(event.target.value)}>
            <option value="">The active one</option>
            {props.profiles.map((item) => (
              <option key={item.name} value={item.name}>
                {item.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit">Show mapping</button>
      <div aria-live="polite" data-testid="dry-run">
        {result ? (
          <p className="result">
            <code>{result.model}</code> → <code>{result.mapped_model}</code> via{' '}
            {result.channel ? (
              <strong>
                {result.channel.name} ({result.channel.type})
              </strong>
            ) : (
              <strong className="error-text">no channel serves it</strong>
            )}
            <span className="muted"> · profile {result.profile ?? 'none'}</span>
          </p>
        ) : null}
        <ErrorNotice error={dryRun.error} />
      </div>
    </form>
  );
}
