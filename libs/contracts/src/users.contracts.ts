/**
 * Users, their roles per project and their login sessions (admin API, owned by the auth service). A user
 * logs in with name and password and gets a session: an admin token like any other (hashed, `ahadm-`),
 * linked to the user, with an expiry, so authenticating an admin call stays one path.
 */
import type { AdminCommand, AdminRole } from './admin.contracts';

/** One role of a user: in a project (its name), or gateway-wide (`project: null`). */
export interface MembershipView {
  project: string | null;
  role: AdminRole;
}

/** Never holds the password or its hash. */
export interface UserView {
  id: string;
  name: string;
  /** The roles the caller may see: a project-scoped caller sees only its project's. */
  roles: MembershipView[];
  created_at: string;
}

export interface CreateUserCommand extends AdminCommand {
  name: string;
  password: string;
  role: AdminRole;
  /** Project name; null: gateway-wide; absent: the caller's project (gateway-wide for a gateway-wide caller). */
  project?: string | null;
}

export interface UserRef extends AdminCommand {
  id: string;
}

export interface SetUserRoleCommand extends UserRef {
  project: string | null;
  role: AdminRole;
}

export interface RemoveUserRoleCommand extends UserRef {
  /** Project name, or null for the gateway-wide role. */
  project: string | null;
}

export interface SetPasswordCommand extends UserRef {
  password: string;
}

/** `POST /admin/v1/login` (unauthenticated). */
export interface LoginCommand {
  name: string;
  password: string;
  /** Project name; absent: the gateway-wide role, or the user's only role. */
  project?: string;
}

export interface SessionView {
  /** The session token, in this answer only. */
  token: string;
  expires_at: string;
  role: AdminRole;
  project: string | null;
}

export interface RevokeTokenCommand extends AdminCommand {
  id: string;
}

export interface ProjectRef extends AdminCommand {
  id: string;
}
