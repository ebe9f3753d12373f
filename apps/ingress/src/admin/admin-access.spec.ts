import type { AdminActor, AdminRole } from '@gw/contracts';
import { isAllowed, type AdminPermission } from './admin-access';

const actor = (role: AdminRole): AdminActor => ({ token_id: 't', token_name: 'n', role, project_id: null });
const PERMISSIONS: AdminPermission[] = ['read', 'keys:write', 'projects:write', 'tokens:manage', 'users:manage', 'channels:write'];
const allowed = (role: AdminRole): AdminPermission[] => PERMISSIONS.filter((permission) => isAllowed(actor(role), permission));

describe('admin roles', () => {
  it('viewer only reads', () => expect(allowed('viewer')).toEqual(['read']));
  it('developer reads and manages keys and profiles', () => expect(allowed('developer')).toEqual(['read', 'keys:write']));
  it('admin and owner may do everything', () => {
    expect(allowed('admin')).toEqual(PERMISSIONS);
    expect(allowed('owner')).toEqual(PERMISSIONS);
  });
  it('an unknown role (a row written by a newer version) may do nothing', () => {
    expect(allowed('auditor' as AdminRole)).toEqual([]);
  });
});
