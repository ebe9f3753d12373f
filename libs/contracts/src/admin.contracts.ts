/**
 * The admin API's commands between ingress (HTTP, `/admin/v1`) and the services that own the data: auth
 * (projects, admin tokens, API keys, audit) and routing (model profiles, active profile, dry-run). Field
 * names are the API's own (snake_case), so a reply is the HTTP body as is.
 */

export const ADMIN_ROLES = ['viewer', 'developer', 'admin', 'owner'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/**
 * What each role may do (README and ADR 0008 show the same matrix): ingress enforces it, the console (ADR 0024)
 * reads it to show only the controls a role may use. Project scope is orthogonal: a token scoped to a project
 * does all of this inside that project only, and the services answer 404 for the rest.
 */
export type AdminPermission = 'read' | 'keys:write' | 'projects:write' | 'tokens:manage' | 'users:manage' | 'channels:write';

/** `channels:write` (create, edit, enable/disable, delete, test) is also refused to project-scoped tokens: channels serve every project. */
export const ROLE_PERMISSIONS: Record<AdminRole, readonly AdminPermission[]> = {
  viewer: ['read'],
  developer: ['read', 'keys:write'],
  admin: ['read', 'keys:write', 'projects:write', 'tokens:manage', 'users:manage', 'channels:write'],
  owner: ['read', 'keys:write', 'projects:write', 'tokens:manage', 'users:manage', 'channels:write'],
};

export function roleAllows(role: AdminRole, permission: AdminPermission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

/** Who is calling: every command carries it, so the owning service scopes reads and writes and audits them. */
export interface AdminActor {
  token_id: string;
  token_name: string;
  role: AdminRole;
  /** A token scoped to one project sees nothing of the others; null: every project. */
  project_id: string | null;
  /** Set when the token is a user's login session (absent or null: a plain admin token). */
  user_id?: string | null;
}

export type AdminErrorCode =
  'unauthorized' | 'forbidden' | 'not_found' | 'invalid_request' | 'conflict' | 'internal_error' | 'service_unavailable';

/** The admin envelope's `error` member (not OpenAI's: admin clients are not model clients). */
export interface AdminErrorBody {
  code: AdminErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Services answer with a result, never an exception: NestJS collapses a remote exception to its message, and
 * the HTTP status must survive the bus.
 */
export type AdminReply<T> = { ok: true; value: T } | { ok: false; error: AdminErrorBody };

export interface AdminCommand {
  actor: AdminActor;
}

/** `admin.tokens.authenticate`: the bearer token of an admin call. */
export interface AuthenticateAdminRequest {
  token: string;
}

export interface ProjectView {
  id: string;
  name: string;
  /** Prompt and response capture for this project: true or false overrides the config, null follows it. */
  capture_bodies: boolean | null;
  created_at: string;
}

/** `PATCH /admin/v1/projects/{project}`: the settings given change, the others stay. */
export interface UpdateProjectCommand extends AdminCommand {
  project: string;
  capture_bodies?: unknown;
}

export interface CreateProjectCommand extends AdminCommand {
  name: string;
}

export interface AdminTokenView {
  id: string;
  name: string;
  role: AdminRole;
  project: string | null;
  prefix: string;
  state: 'active' | 'revoked' | 'expired';
  /** Sessions expire (`admin.session_ttl_hours`); plain admin tokens have none. */
  expires_at: string | null;
  /** The user whose login session this is; null: a plain admin token. */
  user_id: string | null;
  created_at: string;
}

export interface CreateAdminTokenCommand extends AdminCommand {
  name: string;
  role: AdminRole;
  /** Project name; absent: the caller's own scope. */
  project?: string | null;
}

export type ApiKeyState = 'active' | 'revoked' | 'expired';

/** Stored, not enforced yet: the rate-limit and quota work reads them. */
export interface ApiKeyLimits {
  requests_per_minute?: number;
  tokens_per_minute?: number;
  monthly_token_quota?: number;
}

export interface ApiKeyView {
  id: string;
  name: string;
  /** The first characters of the secret: enough to recognise it, never enough to use it. */
  prefix: string;
  project: string;
  active_profile: string | null;
  state: ApiKeyState;
  expires_at: string | null;
  allowed_models: string[] | null;
  limits: ApiKeyLimits | null;
  created_at: string;
}

export interface CreateApiKeyCommand extends AdminCommand {
  name: string;
  /** Project name; absent: the caller's project, else `default`. */
  project?: string;
  expires_at?: string | null;
  allowed_models?: string[] | null;
  limits?: ApiKeyLimits | null;
}

/** A created secret is in this reply and nowhere else, ever. */
export interface CreatedSecret<T> {
  item: T;
  secret: string;
}

export interface ApiKeyRef extends AdminCommand {
  id: string;
}

export interface ProfileView {
  name: string;
  active: boolean;
  rules: { from: string; to: string }[];
}

export interface ProfileRef extends ApiKeyRef {
  profile: string;
}

export interface PutProfileCommand extends ProfileRef {
  rules: unknown;
  /** True: refuse when it exists (POST); false: replace its rules (PUT, 404 when missing). */
  create: boolean;
}

export interface SetActiveProfileCommand extends ApiKeyRef {
  profile: string | null;
}

export interface DryRunCommand extends ApiKeyRef {
  model: string;
  /** Another profile of the key; absent: the active one. */
  profile?: string | null;
}

export interface DryRunView {
  model: string;
  profile: string | null;
  mapped_model: string;
  channel: { name: string; type: string } | null;
}

export interface ListAuditQuery extends AdminCommand {
  limit: number;
  /** Entries older than this id (the previous page's `next_cursor`). */
  before?: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actor: { token_id: string; token_name: string };
  action: string;
  resource: { type: string; id: string | null };
  project: string | null;
  before: unknown;
  after: unknown;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
