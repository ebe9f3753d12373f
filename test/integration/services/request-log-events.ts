import type { RequestFinishedEvent } from '@gw/contracts';
import { finishedEvent } from '../../support/request-finished-event';

/** A good finished-request event, as ingress builds them. */
export function goodEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return finishedEvent({
    conversationKey: 'conv-integrity',
    conversationSource: 'session-id',
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    ...overrides,
  });
}

/**
 * An event PostgreSQL refuses even once its text is sanitized: a token count beyond the integer column's
 * range (22003), as an upstream reporting absurd usage could produce.
 */
export function refusedEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return goodEvent({ inputTokens: 99_999_999_999, ...overrides });
}

/** Text the sanitizer must mend: lone surrogates (the observed `"model": "\ud800"`) and U+0000. */
export function surrogateEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return goodEvent({
    status: 404,
    requestedModel: '\ud800',
    conversationKey: 'conv-\udc00',
    errorCode: 'model_not_found',
    errorMessage: 'no channel serves model "\ud800"\u0000',
    warnings: ['dropped \udfff'],
    ...overrides,
  });
}
