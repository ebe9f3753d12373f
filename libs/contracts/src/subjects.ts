/**
 * NATS subjects: `<domain>.<entity>.<verb>`, events in past tense. The one place subjects are spelled;
 * controllers and clients import these, never string literals.
 */
export const AuthSubjects = {
  verifyApiKey: 'auth.api-key.verify',
  apiKeyChanged: 'auth.api-key.changed',
  /** Readiness: answers once the auth service and its database are up (ingress's /readyz asks it). */
  ping: 'auth.health.ping',
} as const;

/**
 * Admin API commands (request/reply, queue group of the owning service). Like every subject here they are
 * not namespaced per deployment: two gateways on one NATS server answer each other.
 */
export const AdminSubjects = {
  authenticate: 'admin.tokens.authenticate',
  listTokens: 'admin.tokens.list',
  createToken: 'admin.tokens.create',
  listProjects: 'admin.projects.list',
  createProject: 'admin.projects.create',
  updateProject: 'admin.projects.update',
  listApiKeys: 'admin.api-keys.list',
  getApiKey: 'admin.api-keys.get',
  createApiKey: 'admin.api-keys.create',
  revokeApiKey: 'admin.api-keys.revoke',
  listAudit: 'admin.audit.list',
  revokeToken: 'admin.tokens.revoke',
  getProject: 'admin.projects.get',
  listUsers: 'admin.users.list',
  getUser: 'admin.users.get',
  createUser: 'admin.users.create',
  deleteUser: 'admin.users.delete',
  setUserRole: 'admin.users.set-role',
  removeUserRole: 'admin.users.remove-role',
  setUserPassword: 'admin.users.set-password',
  login: 'admin.sessions.login',
  logout: 'admin.sessions.logout',
  // Owned by the routing service:
  listProfiles: 'admin.profiles.list',
  getProfile: 'admin.profiles.get',
  putProfile: 'admin.profiles.put',
  deleteProfile: 'admin.profiles.delete',
  setActiveProfile: 'admin.api-keys.set-active-profile',
  dryRun: 'admin.api-keys.dry-run',
  listChannels: 'admin.channels.list',
  getChannel: 'admin.channels.get',
  createChannel: 'admin.channels.create',
  updateChannel: 'admin.channels.update',
  deleteChannel: 'admin.channels.delete',
  testChannel: 'admin.channels.test',
  // Owned by the trace service:
  listRequestLogs: 'admin.request-logs.list',
  getRequestLog: 'admin.request-logs.get',
  listConversations: 'admin.conversations.list',
  listConversationRequests: 'admin.conversations.requests',
  usage: 'admin.usage.summarize',
} as const;

export const RoutingSubjects = {
  getSnapshot: 'routing.snapshot.get',
  snapshotChanged: 'routing.snapshot.changed',
} as const;

export const TraceSubjects = {
  /**
   * In-process bus (embedded mode): the requests finished within a few milliseconds, as one array.
   * Distributed mode publishes one JetStream message per request on `nats.trace_subject` instead.
   */
  requestsFinished: 'trace.requests.finished',
} as const;

/** Durable JetStream consumer of the trace service (the stream and subject come from config). */
export const TRACE_DURABLE_CONSUMER = 'trace-writer';
