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
