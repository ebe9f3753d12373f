import { commaList, flag, integerOption, listOption, requiredOption, stringOption, type OptionValues } from '../command-line';
import { PRESET_IDS } from '@gw/providers';
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

function masked(secret: { set: boolean; last4: string | null }): string {
  return secret.set ? (secret.last4 ? `set (…${secret.last4})` : 'set') : 'not set';
}

function channelRecord(channel: ChannelView): string {
  const modelMap = Object.entries(channel.model_map ?? {}).map(([from, to]) => `${from} → ${to}`);
  const headers = Object.entries(channel.headers ?? {}).map(([name, value]) => `${name}: ${masked(value)}`);
  return renderRecord([
    ['name', channel.name],
    ['id', channel.id],
    ['type', channel.type],
    ['preset', channel.preset ?? null],
    ['base url', channel.base_url],
    ['models', channel.models],
    ['model map', modelMap.length === 0 ? null : modelMap],
    ['headers', headers.length === 0 ? null : headers],
    ['enabled', channel.enabled ? 'yes' : 'no'],
    ['timeout', milliseconds(channel.timeout_ms) ?? 'default'],
    ['api key', masked(channel.api_key)],
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

/** `--model-map from=to` (repeatable) → `{from: to}`; undefined when none was given. */
function modelMapOption(values: OptionValues): Record<string, string> | undefined {
  const entries = listOption(values, 'model-map');
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map((entry) => {
      const equals = entry.indexOf('=');
      if (equals <= 0) throw new UsageError(`--model-map takes MODEL=UPSTREAM_NAME (got "${entry}")`);
      return [entry.slice(0, equals).trim(), entry.slice(equals + 1).trim()];
    }),
  );
}

/** `--header 'Name: value'` (repeatable) → `{Name: value}`; undefined when none was given. Never echoes a value. */
function headersOption(values: OptionValues): Record<string, string> | undefined {
  const entries = listOption(values, 'header');
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map((entry) => {
      const colon = entry.indexOf(':');
      if (colon <= 0) throw new UsageError('--header takes "Name: value"');
      return [entry.slice(0, colon).trim(), entry.slice(colon + 1).trim()];
    }),
  );
}

export function addChannelRequest(name: string, values: OptionValues, apiKey: string): AdminRequest {
  // A preset gives the type (openai) and, for most vendors, the base URL: the gateway says when one is missing.
  const preset = stringOption(values, 'preset');
  return {
    method: 'POST',
    path: channelPath(),
    body: {
      name,
      type:
        preset === undefined
          ? requiredOption(
              values,
              'type',
              'is the upstream protocol: openai (Chat Completions), openai-responses or gemini (or give --preset)',
            )
          : stringOption(values, 'type'),
      preset,
      base_url:
        preset === undefined
          ? requiredOption(values, 'base-url', 'is the upstream URL, e.g. https://api.deepseek.com/v1 (or give --preset)')
          : stringOption(values, 'base-url'),
      api_key: apiKey,
      models: commaList(requiredOption(values, 'models', 'lists the models the channel serves, comma-separated')),
      model_map: modelMapOption(values),
      headers: headersOption(values),
      enabled: flag(values, 'disabled') ? false : undefined,
      timeout_ms: integerOption(values, 'timeout-ms', 1),
    },
  };
}

/** Only what was given is sent (PATCH); nothing given is a usage error. */
export function editChannelRequest(reference: string, values: OptionValues, apiKey: string | undefined): AdminRequest {
  const models = stringOption(values, 'models');
  const preset = stringOption(values, 'preset');
  const body: Record<string, unknown> = {
    name: stringOption(values, 'name'),
    type: stringOption(values, 'type'),
    base_url: stringOption(values, 'base-url'),
    models: models === undefined ? undefined : commaList(models),
    timeout_ms: integerOption(values, 'timeout-ms', 1),
    api_key: apiKey,
    // `--preset none` removes it; --model-map and --header replace the whole map.
    preset: preset === 'none' ? null : preset,
    model_map: modelMapOption(values),
    headers: headersOption(values),
  };
  const changes = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
  if (Object.keys(changes).length === 0)
    throw new UsageError(
      'nothing to change: give --name, --type, --preset, --base-url, --models, --model-map, --header, --timeout-ms or --api-key',
    );
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
    '<name> (--type openai|openai-responses|gemini --base-url URL | --preset P [--base-url URL]) --models a,b [--model-map M=U]... [--header "N: v"]... [--api-key-stdin | --api-key K] [--timeout-ms N] [--disabled]',
  summary: 'Add an upstream channel (the API key from a prompt, stdin or --api-key)',
  details: `The upstream credential is write-only: the gateway stores it encrypted and shows only its last 4 characters.
Prefer the prompt or --api-key-stdin: a value on the command line stays in the shell history.
A --preset names an OpenAI-compatible vendor (${PRESET_IDS.join(', ')}):
type openai, its base URL (azure-openai: give yours), auth and quirks.
--model-map maps a model to the name the upstream wants (an Azure deployment); --header adds a request
header, stored encrypted like the key (its value stays in the shell history too).

  printf %s "$DEEPSEEK_API_KEY" | axonhub channels add deepseek --preset deepseek \\
      --models deepseek-chat,deepseek-reasoner --api-key-stdin
  axonhub channels add azure --preset azure-openai --base-url https://my-res.openai.azure.com \\
      --models gpt-4o --model-map gpt-4o=my-gpt4o-deployment --api-key-stdin`,
  options: ['type', 'preset', 'base-url', 'models', 'model-map', 'header', 'api-key', 'api-key-stdin', 'timeout-ms', 'disabled'],
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
  usage:
    '<channel> [--name N] [--type T] [--preset P|none] [--base-url URL] [--models a,b] [--model-map M=U]... [--header "N: v"]... [--timeout-ms N] [--api-key K | --api-key-stdin]',
  summary: 'Change some of a channel’s settings (--model-map and --header replace the whole map)',
  options: ['name', 'type', 'preset', 'base-url', 'models', 'model-map', 'header', 'timeout-ms', 'api-key', 'api-key-stdin'],
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
