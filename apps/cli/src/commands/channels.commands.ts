import { commaList, flag, integerOption, requiredOption, stringOption, type OptionValues } from '../command-line';
import { show, type CommandContext, type CommandSpec } from '../command';
import { ExitCode, UsageError } from '../exit-codes';
import { segment, type AdminRequest } from '../http/admin-request';
import { milliseconds, shortTime } from '../output/formats';
import { renderRecord, renderTable, type Column } from '../output/table';
import type { ChannelTestResult, ChannelView, Items } from '../views';

/** Upstream channels. The API takes a channel's id or its name in the path, so no lookup is needed. */

const channelPath = (reference?: string): string => (reference === undefined ? '/channels' : `/channels/${segment(reference)}`);

function lastTest(test: ChannelTestResult | null): string | null {
  if (test === null) return null;
  const outcome = test.ok ? 'ok' : `failed${test.status === null ? '' : ` ${test.status}`}`;
  return `${outcome} ${milliseconds(test.latency_ms) ?? ''} ${shortTime(test.at) ?? ''}`.replace(/\s+/g, ' ').trim();
}

const channelColumns: readonly Column<ChannelView>[] = [
  { header: 'name', value: (channel) => channel.name },
  { header: 'type', value: (channel) => channel.type },
  { header: 'base url', value: (channel) => channel.base_url },
  { header: 'models', value: (channel) => channel.models },
  { header: 'enabled', value: (channel) => (channel.enabled ? 'yes' : 'no') },
  {
    header: 'api key',
    value: (channel) => (channel.api_key.set ? (channel.api_key.last4 ? `…${channel.api_key.last4}` : 'set') : 'not set'),
  },
  { header: 'last test', value: (channel) => lastTest(channel.last_test) },
];

function channelRecord(channel: ChannelView): string {
  return renderRecord([
    ['name', channel.name],
    ['id', channel.id],
    ['type', channel.type],
    ['base url', channel.base_url],
    ['models', channel.models],
    ['enabled', channel.enabled ? 'yes' : 'no'],
    ['timeout', milliseconds(channel.timeout_ms) ?? 'default'],
    ['api key', channel.api_key.set ? (channel.api_key.last4 ? `set (…${channel.api_key.last4})` : 'set') : 'not set'],
    ['last test', lastTest(channel.last_test)],
    ['last error', channel.last_test?.error],
    ['created', shortTime(channel.created_at)],
    ['updated', shortTime(channel.updated_at)],
  ]);
}

/** The upstream credential: `--api-key`, `--api-key-stdin`, or a prompt that does not echo (undefined: not asked). */
async function apiKeyInput(context: CommandContext, values: OptionValues, required: boolean): Promise<string | undefined> {
  const given = stringOption(values, 'api-key');
  const fromStdin = flag(values, 'api-key-stdin');
  if (given !== undefined && fromStdin) throw new UsageError('give --api-key or --api-key-stdin, not both');
  if (given !== undefined) return given;
  if (fromStdin) return context.input.readStdin();
  return required ? context.input.promptHidden('Upstream API key: ', '--api-key-stdin (or --api-key)') : undefined;
}

export function addChannelRequest(name: string, values: OptionValues, apiKey: string): AdminRequest {
  return {
    method: 'POST',
    path: channelPath(),
    body: {
      name,
      type: requiredOption(values, 'type', 'is the upstream protocol: openai (Chat Completions), openai-responses or gemini'),
      base_url: requiredOption(values, 'base-url', 'is the upstream URL, e.g. https://api.deepseek.com/v1'),
      api_key: apiKey,
      models: commaList(requiredOption(values, 'models', 'lists the models the channel serves, comma-separated')),
      enabled: flag(values, 'disabled') ? false : undefined,
      timeout_ms: integerOption(values, 'timeout-ms', 1),
    },
  };
}

/** Only what was given is sent (PATCH); nothing given is a usage error. */
export function editChannelRequest(reference: string, values: OptionValues, apiKey: string | undefined): AdminRequest {
  const models = stringOption(values, 'models');
  const body: Record<string, unknown> = {
    name: stringOption(values, 'name'),
    type: stringOption(values, 'type'),
    base_url: stringOption(values, 'base-url'),
    models: models === undefined ? undefined : commaList(models),
    timeout_ms: integerOption(values, 'timeout-ms', 1),
    api_key: apiKey,
  };
  const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length === 0)
    throw new UsageError('nothing to change: give --name, --type, --base-url, --models, --timeout-ms or --api-key');
  return { method: 'PATCH', path: channelPath(reference), body: changes };
}

export function enableChannelRequest(reference: string, enabled: boolean): AdminRequest {
  return { method: 'PATCH', path: channelPath(reference), body: { enabled } };
}

export function testChannelRequest(reference: string, model: string | undefined): AdminRequest {
  return { method: 'POST', path: `${channelPath(reference)}/test`, body: model === undefined ? {} : { model } };
}

export function removeChannelRequest(reference: string): AdminRequest {
  return { method: 'DELETE', path: channelPath(reference) };
}

const list: CommandSpec = {
  words: ['channels', 'list'],
  usage: '',
  summary: 'List upstream channels (credentials masked)',
  options: [],
  args: { min: 0, max: 0 },
  async run(context) {
    const answer = await (await context.api()).send<Items<ChannelView>>({ method: 'GET', path: channelPath() });
    show(context, answer, () => renderTable(answer.items, channelColumns, context));
  },
};

const showChannel: CommandSpec = {
  words: ['channels', 'show'],
  usage: '<channel>',
  summary: 'One channel (by name or id)',
  options: [],
  args: { min: 1, max: 1 },
  async run(context, { args }) {
    const channel = await (await context.api()).send<ChannelView>({ method: 'GET', path: channelPath(args[0]) });
    show(context, channel, () => channelRecord(channel));
  },
};

const add: CommandSpec = {
  words: ['channels', 'add'],
  usage:
    '<name> --type openai|openai-responses|gemini --base-url URL --models a,b [--api-key-stdin | --api-key K] [--timeout-ms N] [--disabled]',
  summary: 'Add an upstream channel (the API key from a prompt, stdin or --api-key)',
  details: `The upstream credential is write-only: the gateway stores it encrypted and shows only its last 4 characters.
Prefer the prompt or --api-key-stdin: a value on the command line stays in the shell history.

  printf %s "$DEEPSEEK_API_KEY" | axonhub channels add deepseek --type openai \\
      --base-url https://api.deepseek.com/v1 --models deepseek-chat,deepseek-reasoner --api-key-stdin`,
  options: ['type', 'base-url', 'models', 'api-key', 'api-key-stdin', 'timeout-ms', 'disabled'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    addChannelRequest(args[0]!, values, 'checked'); // flags checked before asking for the key
    const apiKey = await apiKeyInput(context, values, true);
    const channel = await (await context.api()).send<ChannelView>(addChannelRequest(args[0]!, values, apiKey ?? ''));
    show(context, channel, () => `Added channel "${channel.name}". Test it: axonhub channels test ${channel.name}\n`);
  },
};

const edit: CommandSpec = {
  words: ['channels', 'edit'],
  usage: '<channel> [--name N] [--type T] [--base-url URL] [--models a,b] [--timeout-ms N] [--api-key K | --api-key-stdin]',
  summary: 'Change some of a channel’s settings',
  options: ['name', 'type', 'base-url', 'models', 'timeout-ms', 'api-key', 'api-key-stdin'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const apiKey = await apiKeyInput(context, values, false);
    const channel = await (await context.api()).send<ChannelView>(editChannelRequest(args[0]!, values, apiKey));
    show(context, channel, () => channelRecord(channel));
  },
};

function toggle(enabled: boolean): CommandSpec {
  return {
    words: ['channels', enabled ? 'enable' : 'disable'],
    usage: '<channel>',
    summary: enabled ? 'Enable a channel' : 'Disable a channel (requests stop going to it)',
    options: [],
    args: { min: 1, max: 1 },
    async run(context, { args }) {
      const channel = await (await context.api()).send<ChannelView>(enableChannelRequest(args[0]!, enabled));
      show(context, channel, () => `Channel "${channel.name}" is ${channel.enabled ? 'enabled' : 'disabled'}.\n`);
    },
  };
}

const test: CommandSpec = {
  words: ['channels', 'test'],
  usage: '<channel> [--model M]',
  summary: 'Make one real call through the channel; exit 7 when it fails',
  options: ['model'],
  args: { min: 1, max: 1 },
  async run(context, { args, values }) {
    const result = await (await context.api()).send<ChannelTestResult>(testChannelRequest(args[0]!, stringOption(values, 'model')));
    show(context, result, () =>
      result.ok
        ? `ok: ${result.model ?? 'the model'} answered in ${milliseconds(result.latency_ms) ?? '?'} (HTTP ${result.status ?? '?'}).\n`
        : `failed: ${result.error ?? 'no detail'} (HTTP ${result.status ?? 'none'}, ${milliseconds(result.latency_ms) ?? '?'}).\n`,
    );
    return result.ok ? ExitCode.ok : ExitCode.checkFailed;
  },
};

const remove: CommandSpec = {
  words: ['channels', 'remove'],
  usage: '<channel>',
  summary: 'Delete a channel',
  options: [],
  args: { min: 1, max: 1 },
  async run(context, { args }) {
    const answer = await (await context.api()).send<ChannelView | undefined>(removeChannelRequest(args[0]!));
    show(context, answer ?? { removed: args[0] }, () => `Removed channel "${args[0]}".\n`);
  },
};

export const CHANNEL_COMMANDS: readonly CommandSpec[] = [list, showChannel, add, edit, toggle(true), toggle(false), test, remove];
