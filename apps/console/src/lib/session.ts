import { roleAllows, type AdminPermission, type AdminRole } from '@gw/contracts';

/** Who is logged in to this tab. */
export interface ConsoleSession {
  token: string;
  role: AdminRole;
  /** The user's name (login) or the token's name (pasted token). */
  name: string;
  /** null: every project (a gateway-wide token). */
  project: string | null;
  expires_at: string | null;
}

/**
 * sessionStorage, not localStorage (ADR 0024): the token lives as long as the tab, is not shared with other
 * tabs and is gone when the browser closes; a login session also expires on the server.
 */
const STORAGE_KEY = 'axonhub.console.session';

export function loadSession(storage: Pick<Storage, 'getItem'>): ConsoleSession | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (raw === null) return null;
  try {
    const session = JSON.parse(raw) as Partial<ConsoleSession>;
    if (typeof session.token !== 'string' || typeof session.role !== 'string' || typeof session.name !== 'string') return null;
    if (session.expires_at && Date.parse(session.expires_at) <= Date.now()) return null;
    return {
      token: session.token,
      role: session.role,
      name: session.name,
      project: session.project ?? null,
      expires_at: session.expires_at ?? null,
    };
  } catch {
    return null;
  }
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: ConsoleSession): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(STORAGE_KEY);
}

/**
 * Whether the session's controls for `permission` are shown. The API is the authority (it refuses anyway);
 * this only keeps a viewer from seeing buttons that would fail. Channels serve every project, so a
 * project-scoped token may not change them whatever its role.
 */
export function can(session: ConsoleSession, permission: AdminPermission): boolean {
  if (permission === 'channels:write' && session.project !== null) return false;
  return roleAllows(session.role, permission);
}
