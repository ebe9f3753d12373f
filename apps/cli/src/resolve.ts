import { CliError, ExitCode } from './exit-codes';
import type { AdminApi } from './http/admin-client';
import { segment } from './http/admin-request';
import type { AdminTokenView, ApiKeyView, Items } from './views';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function looksLikeId(reference: string): boolean {
  return UUID.test(reference);
}

interface Named {
  id: string;
  name: string;
  project?: string | null;
}

/**
 * The one item named `name` (in `project` when given). Names are unique per project only, so the same name
 * in two projects is ambiguous: an error listing them, never a guess.
 */
export function pickByName<T extends Named>(items: readonly T[], name: string, what: string, project?: string): T {
  const matches = items.filter((item) => item.name === name && (project === undefined || item.project === project));
  if (matches.length === 1) return matches[0]!;
  const where = project === undefined ? '' : ` in project ${project}`;
  if (matches.length === 0) throw new CliError(`no ${what} named "${name}"${where}`, ExitCode.notFound);
  const projects = matches.map((item) => `${item.project ?? '(gateway-wide)'} (${item.id})`).join(', ');
  throw new CliError(`"${name}" names several ${what}s: ${projects}; give --project or the id`, ExitCode.invalid);
}

/** A key by id or by name (the API takes ids; a name is looked up in the key list). */
export async function resolveKey(api: AdminApi, reference: string, project?: string): Promise<ApiKeyView> {
  if (looksLikeId(reference)) return api.send<ApiKeyView>({ method: 'GET', path: `/api-keys/${segment(reference)}` });
  const { items } = await api.send<Items<ApiKeyView>>({ method: 'GET', path: '/api-keys' });
  return pickByName(items, reference, 'API key', project);
}

export async function resolveToken(api: AdminApi, reference: string, project?: string): Promise<string> {
  if (looksLikeId(reference)) return reference;
  const { items } = await api.send<Items<AdminTokenView>>({ method: 'GET', path: '/tokens' });
  return pickByName(items, reference, 'admin token', project).id;
}
