import { commaList, stringOption } from '../command-line';
import { show, type CommandSpec } from '../command';
import { gatewayRoot, segment } from '../http/admin-request';
import { shortTime } from '../output/formats';
import { renderRecord, renderTable, type Column } from '../output/table';
import { resolveKey } from '../resolve';
import type { ApiKeyView, Items, ProfileView } from '../views';
import { codexSnippet } from './codex-snippet';
import { profileColumns } from './profiles.commands';

export const keyColumns: readonly Column<ApiKeyView>[] = [
  { header: 'name', value: (key) => key.name },
  { header: 'id', value: (key) => key.id },
  { header: 'project', value: (key) => key.project },
  { header: 'prefix', value: (key) => key.prefix },
  { header: 'active profile', value: (key) => key.active_profile },
  { header: 'state', value: (key) => key.state },
  { header: 'expires', value: (key) => shortTime(key.expires_at) },
  { header: 'created', value: (key) => shortTime(key.created_at) },
];

export function keyRecord(key: ApiKeyView): string {
  return renderRecord([
    ['name', key.name],
    ['id', key.id],
    ['project', key.project],
    ['prefix', key.prefix],
    ['state', key.state],
    ['active profile', key.active_profile],
    ['expires', shortTime(key.expires_at)],
    ['allowed models', key.allowed_models],
    ['limits', key.limits],
    ['created', shortTime(key.created_at)],
  ]);
}

const list: CommandSpec = {
  words: ['keys', 'list'],
  usage: '[--project P]',
  summary: 'List API keys',
  options: ['project'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const answer = await (await context.api()).send<Items<ApiKeyView>>({ method: 'GET', path: '/api-keys' });
    const project = stringOption(values, 'project');
    const shown = project === undefined ? answer : { items: answer.items.filter((key) => key.project === project) };
    show(context, shown, () => renderTable(shown.items, keyColumns, context));
  },
};

const create: CommandSpec = {
  words: ['keys', 'create'],
  usage: '<name> [--project P] [--expires-at ISO-TIME] [--allowed-models a,b]',
  summary: 'Create an API key; prints its secret (once) and a Codex config to paste',
  options: ['project', 'expires-at', 'allowed-models'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const api = await context.api();
    const allowed = stringOption(values, 'allowed-models');
    const created = await api.send<ApiKeyView & { key: string }>({
      method: 'POST',
      path: '/api-keys',
      body: {
        name: args[0],
        project: stringOption(values, 'project'),
        expires_at: stringOption(values, 'expires-at'),
        allowed_models: allowed === undefined ? undefined : commaList(allowed),
      },
    });
    show(
      context,
      created,
      () => `Created API key "${created.name}" (id ${created.id}, project ${created.project}).
Its secret is shown this once only (only its hash is stored):

  ${created.key}

${codexSnippet(created.key, `${gatewayRoot(api.baseUrl)}/v1`)}
Next: give it a profile and make it active:

  axonhub profiles create default --key ${created.name} --rule gpt-5=UPSTREAM-MODEL
  axonhub profiles use default --key ${created.name}
`,
    );
  },
};

const showKey: CommandSpec = {
  words: ['keys', 'show'],
  usage: '<key> [--project P]',
  summary: 'One API key (by name or id) and its profiles',
  options: ['project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const api = await context.api();
    const key = await resolveKey(api, args[0]!, stringOption(values, 'project'));
    if (context.json) return show(context, key, () => '');
    const { items } = await api.send<Items<ProfileView>>({ method: 'GET', path: `/api-keys/${segment(key.id)}/profiles` });
    context.out(`${keyRecord(key)}\nProfiles:\n${renderTable(items, profileColumns, context)}`);
  },
};

const revoke: CommandSpec = {
  words: ['keys', 'revoke'],
  usage: '<key> [--project P]',
  summary: 'Revoke an API key (its next request is refused)',
  options: ['project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const api = await context.api();
    const key = await resolveKey(api, args[0]!, stringOption(values, 'project'));
    const revoked = await api.send<ApiKeyView>({ method: 'DELETE', path: `/api-keys/${segment(key.id)}` });
    show(context, revoked, () => `Revoked API key "${revoked.name}" (id ${revoked.id}).\n`);
  },
};

export const KEY_COMMANDS: readonly CommandSpec[] = [list, create, showKey, revoke];
