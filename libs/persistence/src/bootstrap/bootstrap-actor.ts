import type { AdminActor } from '@gw/contracts';

/**
 * Who bootstrap's writes (channels, projects, keys, profiles) are audited as: the file, acting with every
 * right (it is the operator's own). One actor for all of them, so the audit log names the file one way.
 */
export const CONFIG_FILE_ACTOR: AdminActor = {
  token_id: 'config.yml',
  token_name: 'bootstrap (config.yml)',
  role: 'owner',
  project_id: null,
  user_id: null,
};
