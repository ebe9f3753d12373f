/**
 * NATS subjects: `<domain>.<entity>.<verb>`, events in past tense. The one place subjects are spelled;
 * controllers and clients import these, never string literals.
 */
export const AuthSubjects = {
  verifyApiKey: 'auth.api-key.verify',
  apiKeyChanged: 'auth.api-key.changed',
} as const;

export const RoutingSubjects = {
  getSnapshot: 'routing.snapshot.get',
  snapshotChanged: 'routing.snapshot.changed',
} as const;

export const TraceSubjects = {
  /** JetStream subject the ingress publishes one event per finished request to. */
  requestFinished: 'trace.request.finished',
} as const;

/** JetStream stream and durable consumer names for trace events. */
export const TraceStream = {
  name: 'TRACE_EVENTS',
  subjects: ['trace.>'],
  durableConsumer: 'trace-writer',
} as const;
