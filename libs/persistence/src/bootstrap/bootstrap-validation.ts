import { compileRulePattern, isRegexRule } from '@gw/routing-core';
import { bootstrapChannelProblem } from './bootstrap-channels';
import { isName } from '../admin/admin-failure';
import type { BootstrapApiKey, BootstrapChannel, BootstrapConfig, BootstrapProfile } from './bootstrap.types';

/** A bootstrap section that cannot be applied. Messages name the entry and never contain a secret. */
export class BootstrapValidationError extends Error {
  constructor(message: string) {
    super(`invalid bootstrap configuration: ${message}`);
    this.name = 'BootstrapValidationError';
  }
}

/** Checks the whole section before anything is written, so a bad entry leaves the database untouched. */
export function validateBootstrap(bootstrap: BootstrapConfig): void {
  const channels = optionalArray(bootstrap.channels, 'bootstrap.channels');
  const apiKeys = optionalArray(bootstrap.api_keys, 'bootstrap.api_keys');
  assertUniqueNames(channels, 'bootstrap.channels');
  assertUniqueNames(apiKeys, 'bootstrap.api_keys');
  channels.forEach((channel, index) => validateChannel(channel, entryLabel('bootstrap.channels', index, channel)));
  apiKeys.forEach((apiKey, index) => validateApiKey(apiKey, entryLabel('bootstrap.api_keys', index, apiKey)));
  // Two keys with one secret would make `verify` ambiguous.
  const secrets = new Set(apiKeys.map((apiKey) => apiKey.key));
  if (secrets.size !== apiKeys.length) throw new BootstrapValidationError('bootstrap.api_keys: two keys have the same secret `key`');
}

/** The admin API's own parser: a channel the file may hold is exactly one the API would accept. */
function validateChannel(channel: BootstrapChannel, label: string): void {
  const problem = bootstrapChannelProblem(channel);
  if (problem !== undefined) throw new BootstrapValidationError(`${label}: ${problem}`);
}

function validateApiKey(apiKey: BootstrapApiKey, label: string): void {
  requireApiName(apiKey.name, `${label}: name`);
  requireText(apiKey.key, `${label}: key`);
  const profiles = optionalArray(apiKey.profiles, `${label}: profiles`);
  assertUniqueNames(profiles, `${label}: profiles`);
  profiles.forEach((profile, index) => validateProfile(profile, `${label}: ${entryLabel('profiles', index, profile)}`));
  const active = apiKey.active_profile;
  if (active !== undefined && active !== null && !profiles.some((profile) => profile.name === active)) {
    const known = profiles.map((profile) => profile.name).join(', ') || 'none';
    throw new BootstrapValidationError(`${label}: active_profile ${JSON.stringify(active)} is not one of its profiles (${known})`);
  }
}

function validateProfile(profile: BootstrapProfile, label: string): void {
  requireApiName(profile.name, `${label}: name`);
  if (!Array.isArray(profile.rules)) throw new BootstrapValidationError(`${label}: rules must be a list`);
  profile.rules.forEach((rule, index) => {
    const ruleLabel = `${label}: rules[${index}]`;
    requireText(rule?.from, `${ruleLabel}.from`);
    requireText(rule.to, `${ruleLabel}.to`);
    if (!isRegexRule(rule.from)) return;
    try {
      compileRulePattern(rule.from);
    } catch (error) {
      throw new BootstrapValidationError(
        `${ruleLabel}: from ${JSON.stringify(rule.from)} is not a valid regex (${(error as Error).message})`,
      );
    }
  });
}

function assertUniqueNames(entries: Array<{ name: string }>, listLabel: string): void {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    requireText(entry?.name, `${listLabel}[${index}].name`);
    if (seen.has(entry.name)) throw new BootstrapValidationError(`${listLabel}: name ${JSON.stringify(entry.name)} appears more than once`);
    seen.add(entry.name);
  });
}

function optionalArray<T>(value: T[] | undefined, label: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BootstrapValidationError(`${label} must be a list`);
  return value;
}

/** Keys and profiles are written with the admin API's commands, so their names follow the API's rule. */
function requireApiName(value: unknown, label: string): void {
  if (!isName(value)) {
    throw new BootstrapValidationError(
      `${label} must be 1 to 64 characters of letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
}

function requireText(value: unknown, label: string): void {
  if (typeof value !== 'string' || value.trim().length === 0) throw new BootstrapValidationError(`${label} must be a non-empty string`);
}

function entryLabel(listLabel: string, index: number, entry: { name?: unknown }): string {
  return typeof entry?.name === 'string' ? `${listLabel}[${index}] "${entry.name}"` : `${listLabel}[${index}]`;
}
