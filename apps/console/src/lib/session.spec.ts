import { can, clearSession, loadSession, saveSession, type ConsoleSession } from './session';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const session = (fields: Partial<ConsoleSession> = {}): ConsoleSession => ({
  token: 'ahadm-x',
  role: 'owner',
  name: 'first-owner',
  project: null,
  expires_at: null,
  ...fields,
});

describe('console session', () => {
  it('keeps the session in the storage it is given, and forgets it', () => {
    const storage = new MemoryStorage();
    saveSession(storage, session());
    expect(loadSession(storage)).toEqual(session());
    clearSession(storage);
    expect(loadSession(storage)).toBeNull();
  });

  it('drops an expired login session or a damaged entry instead of calling the API with it', () => {
    const storage = new MemoryStorage();
    saveSession(storage, session({ expires_at: new Date(Date.now() - 1_000).toISOString() }));
    expect(loadSession(storage)).toBeNull();
    storage.items.set('axonhub.console.session', '{not json');
    expect(loadSession(storage)).toBeNull();
    storage.items.set('axonhub.console.session', JSON.stringify({ token: 'x' }));
    expect(loadSession(storage)).toBeNull();
  });

  it('shows controls by the role matrix the API enforces; channels never to a project-scoped token', () => {
    expect(can(session({ role: 'viewer' }), 'keys:write')).toBe(false);
    expect(can(session({ role: 'viewer' }), 'read')).toBe(true);
    expect(can(session({ role: 'developer' }), 'keys:write')).toBe(true);
    expect(can(session({ role: 'developer' }), 'channels:write')).toBe(false);
    expect(can(session({ role: 'admin' }), 'channels:write')).toBe(true);
    expect(can(session({ role: 'owner', project: 'p1' }), 'channels:write')).toBe(false);
    expect(can(session({ role: 'owner', project: 'p1' }), 'keys:write')).toBe(true);
  });
});
