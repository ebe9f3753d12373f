import type { EntityManager } from 'typeorm';
import { AdvisoryLockKeys } from '../advisory-locks';
import { conflict } from './admin-failure';

/**
 * Nobody locks the operator out: a change that would leave no way in as owner (no active gateway-wide owner
 * token, no user with the gateway-wide owner role) is refused, unless `admin.bootstrap_token` is configured,
 * which always opens the gateway. Call inside the change's transaction, after the change: the advisory lock
 * serialises two such changes, so they cannot both see the other's owner and both pass.
 */
export async function assertOwnerRemains(manager: EntityManager, bootstrapTokenConfigured: boolean): Promise<void> {
  if (bootstrapTokenConfigured) return;
  await manager.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLockKeys.ownerCredentials]);
  const rows: { count: string }[] = await manager.query(`
    SELECT (SELECT count(*) FROM admin_tokens
             WHERE role = 'owner' AND project_id IS NULL AND user_id IS NULL AND revoked_at IS NULL
               AND (expires_at IS NULL OR expires_at > now()))
         + (SELECT count(*) FROM user_memberships m JOIN users u ON u.id = m.user_id
             WHERE m.role = 'owner' AND m.project_id IS NULL AND u.deleted_at IS NULL) AS count`);
  if (Number(rows[0]?.count ?? 0) === 0) {
    throw conflict(
      'This would remove the last owner credential (gateway-wide owner token or user); create another owner first, or configure admin.bootstrap_token',
    );
  }
}
