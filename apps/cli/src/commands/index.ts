import type { CommandSpec } from '../command';
import { ACCESS_COMMANDS, AUDIT_COMMANDS } from './access.commands';
import { CHANNEL_COMMANDS } from './channels.commands';
import { KEY_COMMANDS } from './keys.commands';
import { LOG_COMMANDS } from './logs.commands';
import { PROFILE_COMMANDS } from './profiles.commands';
import { SESSION_COMMANDS } from './session.commands';

/** Every command, in the order `axonhub --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  ...SESSION_COMMANDS,
  ...CHANNEL_COMMANDS,
  ...KEY_COMMANDS,
  ...PROFILE_COMMANDS,
  ...LOG_COMMANDS,
  ...ACCESS_COMMANDS,
  ...AUDIT_COMMANDS,
];
