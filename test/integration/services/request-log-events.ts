import { randomUUID } from 'node:crypto';
import type { RequestFinishedEvent } from '@gw/contracts';

/** A good finished-request event, as ingress builds them. */
export function goodEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return {
    requestId: randomUUID(),
    projectId: null,
    apiKeyId: null,
    conversationKey: 'conv-integrity',
    conversationSource: 'session-id',
    threadKey: null,
    clientProtocol: 'openai-chat',
    endpoint: '/v1/chat/completions',
    stream: false,
    requestedModel: 'gpt-5',
    mappedModel: 'deepseek-chat',
    channelName: 'deepseek',
    status: 200,
    errorCode: null,
    errorMessage: null,
    startedAt: new Date().toISOString(),
    latencyMs: 12.5,
    ttftMs: null,
    inputTokens: 10,
    outputTokens: 20,
    totalTokens: 30,
    cachedInputTokens: null,
    reasoningTokens: null,
    warnings: [],
    ...overrides,
  };
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
