import type { RoutingSnapshot } from '@gw/contracts';
import { RoutingTable } from './routing-table';
import { isRegexRule } from './model-profile';

const snapshot: RoutingSnapshot = {
  version: 3,
  channels: [
    { id: 'c1', name: 'deepseek', type: 'openai', baseUrl: 'http://x/v1', apiKey: 'sk-1', models: ['deepseek-chat', 'deepseek-reasoner'] },
    { id: 'c2', name: 'openai', type: 'openai-responses', baseUrl: 'http://y/v1', apiKey: 'sk-2', models: ['gpt-5', 'deepseek-chat'] },
    {
      id: 'c3',
      name: 'zz-azure',
      type: 'openai',
      preset: 'azure-openai',
      baseUrl: 'https://r.openai.azure.com',
      apiKey: 'k',
      models: ['gpt-4o'],
      modelMap: { 'gpt-4o': 'my-azure-deployment' },
    },
  ],
  profiles: {
    key1: [
      {
        name: 'default',
        rules: [
          { from: 'gpt-4', to: 'deepseek-reasoner' },
          { from: 'gpt-3\\.5.*', to: 'deepseek-chat' },
          { from: 'gpt-4.*', to: 'gpt-5' },
        ],
      },
      { name: 'passthrough', rules: [] },
    ],
  },
};

describe('RoutingTable', () => {
  const table = new RoutingTable(snapshot);

  it('maps an exact rule and picks the channel serving the target', () => {
    const decision = table.route('key1', 'default', 'gpt-4');
    expect(decision?.mappedModel).toBe('deepseek-reasoner');
    expect(decision?.channel.name).toBe('deepseek');
  });

  it("carries the upstream model: the mapped model through the channel's model_map", () => {
    expect(table.route('key1', 'default', 'gpt-4')?.upstreamModel).toBe('deepseek-reasoner');
    expect(table.route('other-key', null, 'gpt-4o')).toMatchObject({ mappedModel: 'gpt-4o', upstreamModel: 'my-azure-deployment' });
  });

  it('anchors regex rules at both ends and lets the first match win', () => {
    expect(table.route('key1', 'default', 'gpt-3.5-turbo')?.mappedModel).toBe('deepseek-chat');
    expect(table.route('key1', 'default', 'xgpt-3.5')).toBeUndefined();
    // `gpt-4` is an exact rule, so it does not swallow `gpt-4o`; the later regex does.
    expect(table.route('key1', 'default', 'gpt-4o')?.mappedModel).toBe('gpt-5');
    expect(table.route('key1', 'default', 'gpt-4o')?.channel.name).toBe('openai');
  });

  it('passes unmatched names through and routes by channel order', () => {
    expect(table.route('key1', 'passthrough', 'gpt-4')).toBeUndefined();
    expect(table.route('key1', 'passthrough', 'deepseek-chat')?.channel.name).toBe('deepseek');
    expect(table.route('other-key', null, 'gpt-5')?.mappedModel).toBe('gpt-5');
  });

  it('lists what the key can reach after its profile', () => {
    expect(table.listModels('key1', 'default').map((model) => model.id)).toEqual([
      'deepseek-chat',
      'deepseek-reasoner',
      'gpt-4',
      'gpt-4o',
      'gpt-5',
    ]);
    expect(table.listModels('key1', 'default').find((model) => model.id === 'gpt-4')?.ownedBy).toBe('deepseek');
  });

  it('treats only names with regex syntax as regexes', () => {
    expect(isRegexRule('gpt-4-0613')).toBe(false);
    // Version dots are part of model names, not "any character".
    expect(isRegexRule('gpt-4.1')).toBe(false);
    expect(isRegexRule('claude-3.5-sonnet')).toBe(false);
    expect(isRegexRule('gpt-3\\.5.*')).toBe(true);
    expect(isRegexRule('claude-(opus|sonnet)')).toBe(true);
  });
});
