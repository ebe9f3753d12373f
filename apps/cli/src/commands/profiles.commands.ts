import { flag, listOption, requiredOption, stringOption, type OptionValues } from '../command-line';
import { show, type CommandContext, type CommandSpec } from '../command';
import { UsageError } from '../exit-codes';
import type { AdminApi } from '../http/admin-client';
import { segment, type AdminRequest } from '../http/admin-request';
import { renderTable, type Column } from '../output/table';
import { resolveKey } from '../resolve';
import {
  checkMoveTarget,
  checkPosition,
  insertRule,
  moveRule,
  parseRuleArgument,
  removeRule,
  type MoveTarget,
  type Rule,
} from '../rule-edits';
import type { ApiKeyView, DryRunView, Items, ProfileView } from '../views';

export const profileColumns: readonly Column<ProfileView>[] = [
  { header: 'name', value: (profile) => profile.name },
  { header: 'active', value: (profile) => (profile.active ? 'yes' : 'no') },
  { header: 'rules', value: (profile) => profile.rules.map((rule) => `${rule.from} -> ${rule.to}`).join(', ') },
];

const ruleColumns: readonly Column<Rule & { position: number }>[] = [
  { header: '#', value: (rule) => rule.position, align: 'right' },
  { header: 'from', value: (rule) => rule.from },
  { header: 'to', value: (rule) => rule.to },
];

export function renderRules(rules: readonly Rule[], context: CommandContext): string {
  return renderTable(
    rules.map((rule, index) => ({ ...rule, position: index + 1 })),
    ruleColumns,
    context,
  );
}

function renderProfile(profile: ProfileView, context: CommandContext): string {
  return `Profile "${profile.name}"${profile.active ? ' (active)' : ''}:\n${renderRules(profile.rules, context)}`;
}

const profilePath = (key: ApiKeyView, profile?: string): string =>
  `/api-keys/${segment(key.id)}/profiles${profile === undefined ? '' : `/${segment(profile)}`}`;

async function keyFor(context: CommandContext, values: OptionValues): Promise<[AdminApi, ApiKeyView]> {
  const api = await context.api();
  return [api, await resolveKey(api, requiredOption(values, 'key', 'names the API key (name or id)'), stringOption(values, 'project'))];
}

export function createProfileRequest(key: ApiKeyView, name: string, ruleArguments: readonly string[]): AdminRequest {
  return { method: 'POST', path: profilePath(key), body: { name, rules: ruleArguments.map(parseRuleArgument) } };
}

export function activeProfileRequest(key: ApiKeyView, profile: string | null): AdminRequest {
  return { method: 'PUT', path: `/api-keys/${segment(key.id)}/active-profile`, body: { profile } };
}

const list: CommandSpec = {
  words: ['profiles', 'list'],
  usage: '--key K [--project P]',
  summary: "List a key's profiles and their rules",
  options: ['key', 'project'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const [api, key] = await keyFor(context, values);
    const answer = await api.send<Items<ProfileView>>({ method: 'GET', path: profilePath(key) });
    show(context, answer, () => renderTable(answer.items, profileColumns, context));
  },
};

const showProfile: CommandSpec = {
  words: ['profiles', 'show'],
  usage: '<profile> --key K [--project P]',
  summary: 'One profile and its ordered rules',
  options: ['key', 'project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const [api, key] = await keyFor(context, values);
    const profile = await api.send<ProfileView>({ method: 'GET', path: profilePath(key, args[0]) });
    show(context, profile, () => renderProfile(profile, context));
  },
};

const create: CommandSpec = {
  words: ['profiles', 'create'],
  usage: '<profile> --key K [--rule FROM=TO]... [--project P]',
  summary: 'Create a profile (rules in the order given; the first match wins)',
  details: `FROM is an exact model name, or a regex (anchored) when it has regex syntax; TO is the model sent upstream.

  axonhub profiles create fast --key codex --rule gpt-5=deepseek-chat --rule 'gpt-.*=deepseek-chat'`,
  options: ['key', 'project', 'rule'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const rules = listOption(values, 'rule');
    rules.forEach(parseRuleArgument); // a malformed rule is a usage error before anything is looked up
    const [api, key] = await keyFor(context, values);
    const profile = await api.send<ProfileView>(createProfileRequest(key, args[0]!, rules));
    show(context, profile, () => `Created profile "${profile.name}" of key "${key.name}".\n${renderRules(profile.rules, context)}`);
  },
};

const remove: CommandSpec = {
  words: ['profiles', 'delete'],
  usage: '<profile> --key K [--project P]',
  summary: 'Delete a profile (not the active one)',
  options: ['key', 'project'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const [api, key] = await keyFor(context, values);
    await api.send({ method: 'DELETE', path: profilePath(key, args[0]) });
    show(context, { deleted: args[0], key: key.name }, () => `Deleted profile "${args[0]}" of key "${key.name}".\n`);
  },
};

const use: CommandSpec = {
  words: ['profiles', 'use'],
  usage: '(<profile> | --none) --key K [--project P]',
  summary: "Switch the key's active profile (live: the next request uses it)",
  options: ['key', 'project', 'none'],
  args: { min: 0, max: 1 },
  async run(context, { args, values }) {
    const none = flag(values, 'none');
    if (none === (args[0] !== undefined)) throw new UsageError('name the profile to use, or give --none for no profile');
    const [api, key] = await keyFor(context, values);
    const updated = await api.send<ApiKeyView>(activeProfileRequest(key, none ? null : args[0]!));
    show(context, updated, () =>
      updated.active_profile === null
        ? `Key "${updated.name}" now has no active profile (model names pass through unchanged).\n`
        : `Key "${updated.name}" now uses profile "${updated.active_profile}".\n`,
    );
  },
};

type RunArguments = Parameters<CommandSpec['run']>[1];

/** A rule edit: its arguments are checked before any call; then the profile is read, edited and written back whole (PUT). */
function ruleEdit(
  spec: Pick<CommandSpec, 'words' | 'usage' | 'summary' | 'args'> & { extra: CommandSpec['options'] },
  check: (invocation: RunArguments) => void,
  apply: (rules: Rule[], invocation: RunArguments) => Rule[],
): CommandSpec {
  return {
    ...spec,
    options: ['key', 'project', 'profile', ...spec.extra],
    async run(context, invocation) {
      const profileName = requiredOption(invocation.values, 'profile', 'names the profile');
      check(invocation);
      const [api, key] = await keyFor(context, invocation.values);
      const current = await api.send<ProfileView>({ method: 'GET', path: profilePath(key, profileName) });
      const rules = apply(current.rules, invocation);
      const updated = await api.send<ProfileView>({ method: 'PUT', path: profilePath(key, profileName), body: { rules } });
      show(context, updated, () => renderProfile(updated, context));
    },
  };
}

const rulesList: CommandSpec = {
  words: ['rules', 'list'],
  usage: '--key K --profile P [--project P]',
  summary: "A profile's rules, numbered in match order",
  options: ['key', 'project', 'profile'],
  args: { min: 0, max: 0 },
  async run(context, { values }) {
    const profileName = requiredOption(values, 'profile', 'names the profile');
    const [api, key] = await keyFor(context, values);
    const profile = await api.send<ProfileView>({ method: 'GET', path: profilePath(key, profileName) });
    show(context, profile, () => renderProfile(profile, context));
  },
};

const moveTarget = ({ values }: RunArguments): MoveTarget => ({
  to: stringOption(values, 'to'),
  up: flag(values, 'up'),
  down: flag(values, 'down'),
});

const rulesAdd = ruleEdit(
  {
    words: ['rules', 'add'],
    usage: '<from> <to> --key K --profile P [--at N]',
    summary: 'Add a rule (at position N, 1 = first; default: last)',
    extra: ['at'],
    args: { min: 2, max: 2 },
  },
  ({ values }) => checkPosition(stringOption(values, 'at'), '--at'),
  (rules, { args, values }) => insertRule(rules, { from: args[0]!, to: args[1]! }, stringOption(values, 'at')),
);

const rulesRemove = ruleEdit(
  {
    words: ['rules', 'remove'],
    usage: '<position | from> --key K --profile P',
    summary: 'Remove a rule (by its position or its exact FROM)',
    extra: [],
    args: { min: 1, max: 1 },
  },
  () => undefined,
  (rules, { args }) => removeRule(rules, args[0]!),
);

const rulesMove = ruleEdit(
  {
    words: ['rules', 'move'],
    usage: '<position | from> (--to N | --up | --down) --key K --profile P',
    summary: 'Move a rule to another position (earlier rules match first)',
    extra: ['to', 'up', 'down'],
    args: { min: 1, max: 1 },
  },
  (invocation) => checkMoveTarget(moveTarget(invocation)),
  (rules, invocation) => moveRule(rules, invocation.args[0]!, moveTarget(invocation)),
);

const dryRun: CommandSpec = {
  words: ['dry-run'],
  usage: '<model> --key K [--profile P] [--project P]',
  summary: 'Which model and channel a request for <model> with this key would reach',
  options: ['key', 'project', 'profile'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const [api, key] = await keyFor(context, values);
    const answer = await api.send<DryRunView>({
      method: 'POST',
      path: `/api-keys/${segment(key.id)}/dry-run`,
      body: { model: args[0], profile: stringOption(values, 'profile') },
    });
    const channel =
      answer.channel === null
        ? 'no channel serves it (a request would get a 404)'
        : `channel ${answer.channel.name} (${answer.channel.type})`;
    show(context, answer, () => `${answer.model} -> ${answer.mapped_model} via ${channel}; profile ${answer.profile ?? '(none)'}\n`);
  },
};

export const PROFILE_COMMANDS: readonly CommandSpec[] = [
  list,
  showProfile,
  create,
  remove,
  use,
  rulesList,
  rulesAdd,
  rulesRemove,
  rulesMove,
  dryRun,
];
