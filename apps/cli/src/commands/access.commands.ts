import { integerOption, requiredOption, stringOption, type OptionValues } from '../command-line';
import { show, type CommandSpec } from '../command';
import { segment, type AdminRequest } from '../http/admin-request';
import { shortTime } from '../output/formats';
import { renderTable, type Column } from '../output/table';
import { resolveToken } from '../resolve';
import type { AdminTokenView, AuditEntryView, Items, Page, ProjectView, UserView } from '../views';
import { UsageError } from '../exit-codes';

/** Projects, admin tokens and users: who may manage the gateway. */

const ROLES = ['viewer', 'developer', 'admin', 'owner'];

function roleOption(values: OptionValues): string {
  const role = requiredOption(values, 'role', `is one of ${ROLES.join(', ')}`);
  if (!ROLES.includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')} (got "${role}")`);
  return role;
}

const projectColumns: readonly Column<ProjectView>[] = [
  { header: 'name', value: (project) => project.name },
  { header: 'id', value: (project) => project.id },
  { header: 'created', value: (project) => shortTime(project.created_at) },
];

const tokenColumns: readonly Column<AdminTokenView>[] = [
  { header: 'name', value: (token) => token.name },
  { header: 'id', value: (token) => token.id },
  { header: 'role', value: (token) => token.role },
  { header: 'project', value: (token) => token.project ?? '(all)' },
  { header: 'prefix', value: (token) => token.prefix },
  { header: 'state', value: (token) => token.state },
  { header: 'created', value: (token) => shortTime(token.created_at) },
];

const userColumns: readonly Column<UserView>[] = [
  { header: 'name', value: (user) => user.name },
  { header: 'role', value: (user) => user.role },
  { header: 'project', value: (user) => user.project ?? '(all)' },
  { header: 'created', value: (user) => shortTime(user.created_at) },
];

export function createTokenRequest(name: string, values: OptionValues): AdminRequest {
  return { method: 'POST', path: '/tokens', body: { name, role: roleOption(values), project: stringOption(values, 'project') } };
}

export function createUserRequest(name: string, password: string, values: OptionValues): AdminRequest {
  return { method: 'POST', path: '/users', body: { name, password, role: roleOption(values), project: stringOption(values, 'project') } };
}

export function revokeTokenRequest(id: string): AdminRequest {
  return { method: 'DELETE', path: `/tokens/${segment(id)}` };
}

const projectsList: CommandSpec = {
  words: ['projects', 'list'],
  usage: '',
  summary: 'List projects',
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const answer = await (await context.api()).send<Items<ProjectView>>({ method: 'GET', path: '/projects' });
    show(context, answer, () => renderTable(answer.items, projectColumns, context));
  },
};

const projectsCreate: CommandSpec = {
  words: ['projects', 'create'],
  usage: '<name>',
  summary: 'Create a project',
  options: [],
  args: { min: 1, max: 1 },
  async run(context, { args }) {
    const project = await (await context.api()).send<ProjectView>({ method: 'POST', path: '/projects', body: { name: args[0] } });
    show(context, project, () => `Created project "${project.name}" (id ${project.id}).\n`);
  },
};

const tokensList: CommandSpec = {
  words: ['tokens', 'list'],
  usage: '',
  summary: 'List admin tokens (admin, owner)',
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const answer = await (await context.api()).send<Items<AdminTokenView>>({ method: 'GET', path: '/tokens' });
    show(context, answer, () => renderTable(answer.items, tokenColumns, context));
  },
};

const tokensCreate: CommandSpec = {
  words: ['tokens', 'create'],
  usage: '<name> --role viewer|developer|admin|owner [--project P]',
  summary: 'Create an admin token; prints it (once)',
  options: ['role', 'project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const request = createTokenRequest(args[0]!, values);
    const created = await (await context.api()).send<AdminTokenView & { token: string }>(request);
    show(
      context,
      created,
      () => `Created admin token "${created.name}" (${created.role}, ${created.project === null ? 'every project' : `project ${created.project}`}).
It is shown this once only (only its hash is stored):

  export AXONHUB_ADMIN_TOKEN=${created.token}
`,
    );
  },
};

const tokensRevoke: CommandSpec = {
  words: ['tokens', 'revoke'],
  usage: '<token name or id> [--project P]',
  summary: 'Revoke an admin token',
  options: ['project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const api = await context.api();
    const id = await resolveToken(api, args[0]!, stringOption(values, 'project'));
    const answer = await api.send<AdminTokenView | undefined>(revokeTokenRequest(id));
    show(
      context,
      answer ?? { revoked: id },
      () => `Revoked admin token ${answer?.name === undefined ? id : `"${answer.name}" (id ${id})`}.\n`,
    );
  },
};

const usersList: CommandSpec = {
  words: ['users', 'list'],
  usage: '',
  summary: 'List users',
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const answer = await (await context.api()).send<Items<UserView>>({ method: 'GET', path: '/users' });
    show(context, answer, () => renderTable(answer.items, userColumns, context));
  },
};

const usersCreate: CommandSpec = {
  words: ['users', 'create'],
  usage: '<name> --role viewer|developer|admin|owner [--project P] [--password-stdin]',
  summary: 'Create a user (the password from a prompt, or stdin)',
  options: ['role', 'project', 'password-stdin'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    roleOption(values); // before asking for a password
    const password =
      values['password-stdin'] === true
        ? await context.input.readStdin()
        : await context.input.promptHidden(`Password for ${args[0]}: `, '--password-stdin');
    if (password === '') throw new UsageError('the password is empty');
    const user = await (await context.api()).send<UserView>(createUserRequest(args[0]!, password, values));
    show(
      context,
      user,
      () => `Created user "${user.name}" (${user.role}, ${user.project === null ? 'every project' : `project ${user.project}`}).\n`,
    );
  },
};

export const ACCESS_COMMANDS: readonly CommandSpec[] = [
  projectsList,
  projectsCreate,
  tokensList,
  tokensCreate,
  tokensRevoke,
  usersList,
  usersCreate,
];

const auditColumns: readonly Column<AuditEntryView>[] = [
  { header: 'at', value: (entry) => shortTime(entry.at) },
  { header: 'who', value: (entry) => entry.actor.token_name },
  { header: 'action', value: (entry) => entry.action },
  { header: 'resource', value: (entry) => `${entry.resource.type}${entry.resource.id === null ? '' : ` ${entry.resource.id}`}` },
  { header: 'project', value: (entry) => entry.project },
];

const audit: CommandSpec = {
  words: ['audit'],
  usage: '[-n N] [--cursor C]',
  summary: 'Admin changes, newest first (who, what); --json for before/after',
  options: ['limit', 'cursor'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const request: AdminRequest = {
      method: 'GET',
      path: '/audit',
      query: { limit: integerOption(values, 'limit', 1, 200), cursor: stringOption(values, 'cursor') },
    };
    const page = await (await context.api()).send<Page<AuditEntryView>>(request);
    show(
      context,
      page,
      () =>
        `${renderTable(page.items, auditColumns, context)}${page.next_cursor === null ? '' : `next page: --cursor ${page.next_cursor}\n`}`,
    );
  },
};

export const AUDIT_COMMANDS: readonly CommandSpec[] = [audit];
