import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BootstrapValidationError, validateBootstrap } from './bootstrap-validation';
import type { BootstrapChannel, BootstrapConfig } from './bootstrap.types';

const KEY = 'sk-0123456789abcdefWXYZ';

function problemOf(channel: Partial<BootstrapChannel>): string | undefined {
  try {
    validateBootstrap({ channels: [{ name: 'c', api_key: KEY, models: ['m'], ...channel }] });
    return undefined;
  } catch (error) {
    if (error instanceof BootstrapValidationError) return error.message;
    throw error;
  }
}

describe('bootstrap channels with presets (config.yml)', () => {
  it('accepts a preset alone for type and base_url, a model map for a served model and extra headers', () => {
    expect(problemOf({ preset: 'deepseek' })).toBeUndefined();
    expect(problemOf({ preset: 'azure-openai', base_url: 'https://r.openai.azure.com', model_map: { m: 'deployment' } })).toBeUndefined();
    expect(problemOf({ preset: 'openrouter', headers: { 'HTTP-Referer': 'https://a.example', 'X-Title': 'App' } })).toBeUndefined();
  });

  it.each([
    [{ preset: 'azure' }, 'bootstrap.channels[0] "c": preset "azure" is not one of azure-openai, deepseek'],
    [{ preset: 'azure-openai' }, 'bootstrap.channels[0] "c": base_url is required (preset azure-openai has no default base URL)'],
    [{ preset: 'deepseek', type: 'openai-responses' as const }, 'preset applies to channels of type openai (Chat Completions) only'],
    [{ preset: 'deepseek', model_map: { other: 'x' } }, 'model_map: "other" is not one of the channel\'s models'],
    [{ preset: 'deepseek', headers: { authorization: 'Bearer x' } }, "headers: authorization carries the channel's credential"],
    [{ preset: 'deepseek', headers: { 'X-Key': 'secret-value\n' } }, 'headers: the value of X-Key must not contain control characters'],
  ])('refuses %j with a message naming the entry and the field', (channel, message) => {
    const problem = problemOf(channel);
    expect(problem).toContain(message);
    expect(problem).not.toContain('secret-value');
  });

  it('the shipped deploy/config.example.yml is a valid bootstrap section', () => {
    const example = parse(readFileSync(join(__dirname, '../../../../deploy/config.example.yml'), 'utf8')) as { bootstrap: BootstrapConfig };
    expect(() => validateBootstrap(example.bootstrap)).not.toThrow();
    expect(example.bootstrap.channels?.some((channel) => channel.preset === 'azure-openai' && channel.model_map !== undefined)).toBe(true);
  });
});
