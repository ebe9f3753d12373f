import { useCallback, useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { errorMessage } from '../lib/api';
import { BASE, navigate } from '../lib/router';

/** A link inside the console: a real href (open in a new tab works), navigated in place on a plain click. */
export function Link(props: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' }): ReactNode {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={`${BASE}${props.to}`} onClick={onClick} className={props.className} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change or `reload()` is called; the newest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // The caller lists what `load` depends on, as with useEffect.
  const run = useCallback(load, deps);
  useEffect(() => {
    const ticket = ++latest.current;
    setState((previous) => ({ ...previous, loading: true }));
    run().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: unknown) => ticket === latest.current && setState({ error: errorMessage(error), loading: false }),
    );
  }, [run, generation]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setGeneration((value) => value + 1) };
}

export interface Action {
  busy: boolean;
  /** The last failure, as the API worded it; cleared when the next run starts. */
  error: string | undefined;
  /** Runs `work` (a write); true when it succeeded. */
  run: (work: () => Promise<unknown>) => Promise<boolean>;
}

/** A write started from a button or form: busy while it runs, its error kept for the page to show. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** A form's submit and cancel buttons. */
export function FormButtons(props: { submit: string; onCancel: () => void; disabled?: boolean }): ReactNode {
  return (
    <div className="form-actions">
      <button type="submit" className="primary" disabled={props.disabled}>
        {props.submit}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

export function ErrorNotice(props: { error: string | undefined }): ReactNode {
  if (!props.error) return null;
  return (
    <p className="notice error" role="alert">
      {props.error}
    </p>
  );
}

export function Loading(props: { loading: boolean }): ReactNode {
  return props.loading ? (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  ) : null;
}

/** Copies `text`; says so next to the button for a moment (screen readers hear it through the live region). */
export function CopyButton(props: { text: string; label: string }): ReactNode {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = (): void => {
    navigator.clipboard.writeText(props.text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied(undefined), 2_000);
  };
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        {props.label}
      </button>
      <span aria-live="polite" className="muted">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}

export function Badge(props: { tone: 'ok' | 'warn' | 'bad' | 'neutral'; children: ReactNode }): ReactNode {
  return <span className={`badge ${props.tone}`}>{props.children}</span>;
}

export function PageHeader(props: { title: string; children?: ReactNode }): ReactNode {
  return (
    <div className="page-header">
      <h1>{props.title}</h1>
      <div className="actions">{props.children}</div>
    </div>
  );
}
