import type { AdminActor, AdminRole } from '@gw/contracts';
import { AdminFailure } from './admin-failure';
import { assertMayGrant, defaultMembership, mayManageUser, requirePassword, requireUserName, type Membership } from './user-rules';

const actor = (role: AdminRole, project_id: string | null = null): AdminActor => ({ token_id: 't', token_name: 'n', role, project_id });
const failureOf = (run: () => unknown): AdminFailure | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as AdminFailure;
  }
};

describe('user rules', () => {
  it('a password has at least 12 characters, counted as characters, not bytes', () => {
    expect(failureOf(() => requirePassword('elevenchars'))?.code).toBe('invalid_request');
    expect(requirePassword('twelve chars')).toBe('twelve chars');
    expect(failureOf(() => requirePassword('ééééééééééé'))?.details).toEqual({ field: 'password' }); // 11 characters, 22 bytes
    expect(failureOf(() => requirePassword(123456789012))?.code).toBe('invalid_request');
  });

  it('login names are e-mail addresses or handles, without spaces', () => {
    expect(requireUserName('ada@example.com')).toBe('ada@example.com');
    expect(failureOf(() => requireUserName('ada lovelace'))?.code).toBe('invalid_request');
    expect(failureOf(() => requireUserName(''))?.code).toBe('invalid_request');
  });

  it('nobody grants a role above its own', () => {
    expect(failureOf(() => assertMayGrant(actor('admin'), 'owner'))?.code).toBe('forbidden');
    expect(failureOf(() => assertMayGrant(actor('admin'), 'admin'))).toBeUndefined();
    expect(failureOf(() => assertMayGrant(actor('developer'), 'admin'))?.code).toBe('forbidden');
  });

  it('a user is managed as a whole only by a caller who sees and outranks every role of it', () => {
    const inAlpha: Membership[] = [{ projectId: 'alpha', role: 'developer' }];
    const alsoBeta: Membership[] = [...inAlpha, { projectId: 'beta', role: 'viewer' }];
    const gatewayOwner: Membership[] = [{ projectId: null, role: 'owner' }];
    expect(mayManageUser(actor('admin', 'alpha'), inAlpha)).toBe(true);
    expect(mayManageUser(actor('admin', 'alpha'), alsoBeta)).toBe(false);
    expect(mayManageUser(actor('admin', null), alsoBeta)).toBe(true);
    expect(mayManageUser(actor('admin', null), gatewayOwner)).toBe(false);
    expect(mayManageUser(actor('owner', null), gatewayOwner)).toBe(true);
  });

  it('a login without a project takes the gateway-wide role, else the only one', () => {
    const gatewayWide: Membership = { projectId: null, role: 'viewer' };
    const alpha: Membership = { projectId: 'alpha', role: 'admin' };
    const beta: Membership = { projectId: 'beta', role: 'developer' };
    expect(defaultMembership([alpha, gatewayWide])).toBe(gatewayWide);
    expect(defaultMembership([alpha])).toBe(alpha);
    expect(defaultMembership([alpha, beta])).toBeUndefined();
    expect(defaultMembership([])).toBeUndefined();
  });
});
