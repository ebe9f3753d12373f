import { randomUUID } from 'node:crypto';
import type { RequestFinishedEvent } from '@gw/contracts';

/** A finished-request event as ingress builds them (a plain 200 on the Chat endpoint), with `overrides`. */
export function finishedEvent(overrides: Partial<RequestFinishedEvent> = {}): RequestFinishedEvent {
  return {
    requestId: randomUUID(),
    projectId: null,
    apiKeyId: null,
    conversationKey: null,
    conversationSource: null,
    threadKey: null,
    clientProtocol: 'openai-chat',
    endpoint: '/v1/chat/completions',
    stream: false,
    requestedModel: 'gpt-5',
    mappedModel: 'deepseek-chat',
    upstreamModel: 'deepseek-chat',
    channelName: 'deepseek',
    status: 200,
    errorCode: null,
    errorMessage: null,
    startedAt: new Date().toISOString(),
    latencyMs: 12.5,
    ttftMs: null,
    inputTokens: null,
    outputTokens: null,
    totalTokens: null,
    cachedInputTokens: null,
    reasoningTokens: null,
    warnings: [],
    ...overrides,
  };
}
