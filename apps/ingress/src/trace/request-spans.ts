import type { IncomingHttpHeaders } from 'node:http';
import type { Attributes, Link, SpanContext } from '@opentelemetry/api';
import type { CapturedBodies, RequestFinishedEvent } from '@gw/contracts';
import {
  ConversationTraceIds,
  SpanKind,
  epochMsOf,
  finishedSpan,
  spanContextFromTraceparent,
  traceparentOf,
  activeTelemetry,
  type Telemetry,
} from '@gw/telemetry';
import type { RequestSpanFacts } from './request-span-facts';
import { upstreamServerOf } from './genai-provider';

/**
 * The spans of one finished inference request, built when it has finished from what its record holds:
 *
 * - the ingress SERVER span `POST /v1/...` (status, key id, project, profile, channel, models, warnings);
 * - a GenAI CLIENT span `chat <model>` for the upstream call, its child, with the GenAI semantic
 *   conventions (provider, request/response model, response id, finish reasons, usage, server, time to
 *   first chunk).
 *
 * A request of a conversation goes into the conversation's trace (id derived from its key, see ADR 0014),
 * as a root span of it, one per turn; a client's `traceparent` is then a link. A request without a
 * conversation continues the client's trace, or starts its own. No secret is read here: the key's id, never
 * the key; the channel's name and host, never its credential; no header but `traceparent`.
 */
export class RequestSpans {
  private readonly conversations = new ConversationTraceIds();

  private constructor(private readonly telemetry: Telemetry) {}

  /** Undefined when tracing is off: the caller's whole cost is then one check. */
  static create(): RequestSpans | undefined {
    const telemetry = activeTelemetry();
    return telemetry ? new RequestSpans(telemetry) : undefined;
  }

  /** Returns the server span's `traceparent`, for the trace event: the request-log write becomes its child. */
  finished(facts: RequestSpanFacts, event: RequestFinishedEvent, headers: IncomingHttpHeaders): string {
    const { telemetry } = this;
    const endMs = epochMsOf(performance.now());
    const client = spanContextFromTraceparent(headers.traceparent);
    const conversation = facts.conversation;
    let traceId: string;
    let parent: SpanContext | undefined;
    let links: Link[] | undefined;
    if (conversation !== undefined) {
      traceId = this.conversations.traceIdOf(event.projectId, conversation.key);
      if (client) links = [{ context: client, attributes: { 'ah.link.kind': 'client_trace' } }];
    } else if (client) {
      traceId = client.traceId;
      parent = client;
    } else {
      traceId = telemetry.ids.generateTraceId();
    }

    const serverSpanId = telemetry.ids.generateSpanId();
    const server: Attributes = {
      'http.request.method': 'POST',
      'http.route': event.endpoint,
      'url.path': event.endpoint,
      'http.response.status_code': event.status,
      'ah.request_id': event.requestId,
      'ah.client_protocol': event.clientProtocol,
      'gen_ai.request.stream': event.stream,
    };
    addRequestAttributes(server, facts, event);
    if (event.errorCode !== null) server['error.type'] = event.errorCode;
    if (event.ttftMs !== null) server['ah.time_to_first_byte_ms'] = event.ttftMs;
    telemetry.emit(
      finishedSpan(
        {
          name: `POST ${event.endpoint}`,
          kind: SpanKind.SERVER,
          traceId,
          spanId: serverSpanId,
          parent,
          startMs: epochMsOf(facts.startedAt),
          endMs,
          attributes: server,
          links,
          // A server span is an error for what the gateway or the upstream failed (5xx), not for a client's 4xx.
          errorMessage: event.status >= 500 ? (event.errorCode ?? 'error') : undefined,
        },
        telemetry.resource,
        telemetry.scope,
      ),
    );

    const traceparent = traceparentOf({ traceId, spanId: serverSpanId });
    if (facts.upstreamStartedAt === undefined || event.mappedModel === null || facts.decision === undefined) return traceparent;
    const upstream = upstreamServerOf(facts.decision.channel.baseUrl);
    // What the provider was asked for: the mapped model through the channel's model_map (an Azure deployment).
    const requestModel = facts.decision.upstreamModel;
    const genai: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': upstream.provider,
      'gen_ai.request.model': requestModel,
      'gen_ai.request.stream': event.stream,
      'server.address': upstream.address,
      'server.port': upstream.port,
    };
    addRequestAttributes(genai, facts, event);
    if (facts.responseModel !== undefined) genai['gen_ai.response.model'] = facts.responseModel;
    if (facts.responseId !== undefined) genai['gen_ai.response.id'] = facts.responseId;
    if (facts.finishReasons !== undefined) genai['gen_ai.response.finish_reasons'] = facts.finishReasons;
    if (event.inputTokens !== null) genai['gen_ai.usage.input_tokens'] = event.inputTokens;
    if (event.outputTokens !== null) genai['gen_ai.usage.output_tokens'] = event.outputTokens;
    if (event.cachedInputTokens !== null) genai['gen_ai.usage.cache_read.input_tokens'] = event.cachedInputTokens;
    if (event.reasoningTokens !== null) genai['gen_ai.usage.reasoning.output_tokens'] = event.reasoningTokens;
    if (event.stream && facts.firstByteAt !== undefined && facts.firstByteAt > facts.upstreamStartedAt) {
      genai['gen_ai.response.time_to_first_chunk'] = (facts.firstByteAt - facts.upstreamStartedAt) / 1000;
    }
    if (event.errorCode !== null) genai['error.type'] = event.errorCode;
    // Prompt and response capture (ADR 0011), when it was on for this request.
    if (event.capture !== undefined) Object.assign(genai, capturedMessageAttributes(event.capture));
    const upstreamFailed = event.errorCode !== null && event.errorCode !== 'client_closed';
    telemetry.emit(
      finishedSpan(
        {
          name: `chat ${requestModel}`,
          kind: SpanKind.CLIENT,
          traceId,
          spanId: telemetry.ids.generateSpanId(),
          parent: { traceId, spanId: serverSpanId, traceFlags: 1 },
          startMs: epochMsOf(facts.upstreamStartedAt),
          endMs: facts.upstreamEndedAt !== undefined ? epochMsOf(facts.upstreamEndedAt) : endMs,
          attributes: genai,
          errorMessage: upstreamFailed ? event.errorCode! : undefined,
        },
        telemetry.resource,
        telemetry.scope,
      ),
    );
    return traceparent;
  }
}

/** What both spans say about the request: who (key id, project), how it was routed, and its conversation. */
function addRequestAttributes(attributes: Attributes, facts: RequestSpanFacts, event: RequestFinishedEvent): void {
  if (event.apiKeyId !== null) attributes['ah.api_key.id'] = event.apiKeyId;
  if (event.projectId !== null) attributes['ah.project.id'] = event.projectId;
  if (event.requestedModel !== null) attributes['ah.model.requested'] = event.requestedModel;
  if (event.mappedModel !== null) attributes['ah.model.mapped'] = event.mappedModel;
  if (event.channelName !== null) attributes['ah.channel'] = event.channelName;
  const profile = facts.decision?.profileName;
  if (profile !== undefined && profile !== null) attributes['ah.profile'] = profile;
  if (event.warnings.length > 0) attributes['ah.warnings'] = event.warnings;
  const conversation = facts.conversation;
  if (conversation !== undefined) {
    attributes['ah.conversation.key'] = conversation.key;
    attributes['ah.conversation.source'] = conversation.source;
    // Only an id the client sent as one: a `prompt_cache_key` is a cache hint the gateway groups by.
    if (conversation.source !== 'prompt_cache_key') attributes['gen_ai.conversation.id'] = conversation.key;
  }
}

/**
 * The span attributes of captured bodies: the request as the client sent it and the answer as the client
 * received it (JSON, or the SSE text of a stream), already redacted and capped by the capture (ADR 0011).
 * They are the client protocol's own shapes, not the GenAI conventions' normalised message list: the
 * same bytes the request log holds, so the span and the log never disagree.
 */
export function capturedMessageAttributes(capture: CapturedBodies): Attributes {
  return {
    'gen_ai.input.messages': capture.request,
    'gen_ai.output.messages': capture.response,
    'ah.capture.request_truncated': capture.requestTruncated,
    'ah.capture.response_truncated': capture.responseTruncated,
  };
}
