import { CliError, ExitCode, UsageError } from '../exit-codes';
import { flag, stringOption, type OptionValues } from '../command-line';
import { show, type CommandContext, type CommandSpec } from '../command';
import type { AdminApi } from '../http/admin-client';
import { forgetSession, loadSession, resolveConnection, saveSession, type SavedSession } from '../session/credentials';
import { renderRecord } from '../output/table';
import type { AdminTokenView, Items, LoginView, ProjectView } from '../views';

/** What the CLI knows about a token, without the token itself. */
interface Identity {
  name?: string;
  role?: string;
  project?: string | null;
}

/** The token's own entry in `GET /tokens` (by its prefix), if the token may list tokens (admin, owner). */
async function identify(api: AdminApi, token: string): Promise<Identity> {
  try {
    const { items } = await api.send<Items<AdminTokenView>>({ method: 'GET', path: '/tokens' });
    const own = items.find((item) => item.state === 'active' && token.startsWith(item.prefix));
    return own === undefined ? {} : { name: own.name, role: own.role, project: own.project };
  } catch {
    return {}; // a viewer or developer token may not list tokens; the bootstrap token is not in the list
  }
}

async function secretFrom(context: CommandContext, values: OptionValues, option: 'token' | 'password', question: string): Promise<string> {
  const given = stringOption(values, option);
  const fromStdin = flag(values, option === 'token' ? 'token-stdin' : 'password-stdin');
  if (given !== undefined && fromStdin) throw new UsageError(`give --${option} or --${option}-stdin, not both`);
  const secret = given ?? (fromStdin ? await context.input.readStdin() : await context.input.promptHidden(question, `--${option}-stdin`));
  if (secret === '') throw new UsageError(`the ${option} is empty`);
  return secret;
}

const login: CommandSpec = {
  words: ['login'],
  usage: '[--url URL] (--token T | --token-stdin | --user NAME [--password-stdin] [--project P])',
  summary: 'Log in with an admin token or a user name and password; saves the URL and token',
  details: `With a token (--token, --token-stdin, AXONHUB_ADMIN_TOKEN, or a prompt), checks it against the gateway.
With --user, asks the gateway for a session (POST /admin/v1/login); the password comes from a prompt or stdin.
Saved in $XDG_CONFIG_HOME/axonhub/cli.json (or ~/.config/axonhub/cli.json), mode 0600.
AXONHUB_URL and AXONHUB_ADMIN_TOKEN override the saved login.

  axonhub login --url http://127.0.0.1:8090 --token "$AXONHUB_ADMIN_TOKEN"
  axonhub login --user alice`,
  options: ['token', 'token-stdin', 'user', 'password', 'password-stdin', 'project'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const url = (await context.connection()).url;
    const user = stringOption(values, 'user');
    let session: SavedSession;
    if (user !== undefined) {
      if (values.token !== undefined || values['token-stdin'] !== undefined) throw new UsageError('give --user or --token, not both');
      const password = await secretFrom(context, values, 'password', `Password for ${user}: `);
      const answer = await context.apiAt(url).send<LoginView>({
        method: 'POST',
        path: '/login',
        body: { name: user, password, project: stringOption(values, 'project') },
      });
      session = {
        url,
        token: answer.token,
        method: 'password',
        user,
        role: answer.role,
        project: answer.project,
        expires_at: answer.expires_at,
        saved_at: context.now().toISOString(),
      };
    } else {
      if (values.project !== undefined || values['password-stdin'] !== undefined)
        throw new UsageError('--project and --password-stdin go with --user');
      const fromEnv = context.env.AXONHUB_ADMIN_TOKEN;
      const token =
        values.token === undefined && values['token-stdin'] === undefined && fromEnv !== undefined && fromEnv !== ''
          ? fromEnv
          : await secretFrom(context, values, 'token', 'Admin token: ');
      const api = context.apiAt(url, token);
      await api.send<Items<ProjectView>>({ method: 'GET', path: '/projects' }); // 401: not saved, exit 3
      const identity = await identify(api, token);
      session = {
        url,
        token,
        method: 'token',
        user: identity.name,
        role: identity.role,
        project: identity.project,
        saved_at: context.now().toISOString(),
      };
    }
    await saveSession(context.sessionFile, session);
    const summary = {
      url,
      method: session.method,
      user: session.user ?? null,
      role: session.role ?? null,
      project: session.project ?? null,
      expires_at: session.expires_at ?? null,
      file: context.sessionFile,
    };
    show(
      context,
      summary,
      () =>
        `Logged in to ${url}${session.user === undefined ? '' : ` as ${session.user}`}${session.role === undefined ? '' : ` (${session.role})`}. Saved in ${context.sessionFile}.\n`,
    );
  },
};

const logout: CommandSpec = {
  words: ['logout'],
  usage: '',
  summary: 'Forget the saved login (a password session is also ended on the gateway)',
  details: `A session from "login --user" is revoked on the gateway (POST /admin/v1/logout). A saved admin token is
only forgotten here: it stays valid (revoke it with "axonhub tokens revoke").`,
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const saved = await loadSession(context.sessionFile);
    if (saved === undefined) {
      context.note('Not logged in (nothing saved).\n');
      if (context.json) context.out('{"logged_out":false}\n');
      return;
    }
    if (saved.method === 'password') {
      try {
        await context.apiAt(saved.url, saved.token).send({ method: 'POST', path: '/logout' });
      } catch (error) {
        // An expired or already revoked session is logged out anyway; anything else must not leave it silently alive.
        if (!(error instanceof CliError && error.exitCode === ExitCode.auth)) throw error;
      }
    }
    await forgetSession(context.sessionFile);
    show(context, { logged_out: true, url: saved.url }, () =>
      saved.method === 'password'
        ? `Logged out of ${saved.url}.\n`
        : `Forgot the token saved for ${saved.url} (the token itself stays valid; "axonhub tokens revoke" revokes it).\n`,
    );
  },
};

const whoami: CommandSpec = {
  words: ['whoami'],
  usage: '',
  summary: 'Show the gateway, the token in use and what it may see',
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const saved = await loadSession(context.sessionFile);
    const connection = resolveConnection(context.urlFlag, context.env, saved);
    const api = await context.api();
    const { items } = await api.send<Items<ProjectView>>({ method: 'GET', path: '/projects' });
    const token = connection.token ?? '';
    const fromFile = connection.tokenSource === 'file' ? saved : undefined;
    const identity =
      fromFile?.role !== undefined ? { name: fromFile.user, role: fromFile.role, project: fromFile.project } : await identify(api, token);
    const view = {
      url: connection.url,
      token_source: connection.tokenSource === 'env' ? 'AXONHUB_ADMIN_TOKEN' : context.sessionFile,
      token_prefix: token.slice(0, 12),
      name: identity.name ?? null,
      role: identity.role ?? null,
      project: identity.project ?? null,
      expires_at: fromFile?.expires_at ?? null,
      projects: items.map((project) => project.name),
    };
    show(context, view, () =>
      renderRecord([
        ['gateway', view.url],
        ['token', `${view.token_prefix}… (from ${view.token_source})`],
        ['name', view.name],
        ['role', view.role ?? 'unknown (only admin and owner tokens may list tokens)'],
        ['project', view.project ?? (view.role === null ? null : 'all')],
        ['expires', view.expires_at],
        ['sees projects', view.projects],
      ]),
    );
  },
};

export const SESSION_COMMANDS: readonly CommandSpec[] = [login, logout, whoami];
