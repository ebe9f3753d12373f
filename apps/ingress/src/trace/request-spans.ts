import type { IncomingHttpHeaders } from 'node:http';
import { SpanKind, type Link, type SpanContext } from '@opentelemetry/api';
import type { CapturedBodies, RequestFinishedEvent } from '@gw/contracts';
import {
  ConversationTraceIds,
  epochMsOf,
  spanContextFromTraceparent,
  traceparentOf,
  activeTelemetry,
  spanAttributes,
  type FinishedSpanWriter,
  type Telemetry,
} from '@gw/telemetry';
import type { RequestSpanFacts } from './request-span-facts';
import { upstreamServerOf } from './genai-provider';

/** Every attribute the request spans write, by its name (OpenTelemetry's HTTP and GenAI conventions, and ours). */
const A = spanAttributes(
  // The ingress server span.
  'http.request.method',
  'http.route',
  'url.path',
  'http.response.status_code',
  'ah.request_id',
  'ah.client_protocol',
  'ah.time_to_first_byte_ms',
  // Both spans: the request, who made it and how it was routed.
  'gen_ai.request.stream',
  'error.type',
  'ah.api_key.id',
  'ah.project.id',
  'ah.model.requested',
  'ah.model.mapped',
  'ah.channel',
  'ah.profile',
  'ah.warnings',
  'ah.conversation.key',
  'ah.conversation.source',
  'gen_ai.conversation.id',
  // The GenAI client span: the upstream call.
  'gen_ai.operation.name',
  'gen_ai.provider.name',
  'gen_ai.request.model',
  'server.address',
  'server.port',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.response.finish_reasons',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.response.time_to_first_chunk',
  // Captured bodies (ADR 0011).
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'ah.capture.request_truncated',
  'ah.capture.response_truncated',
);

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
  /** `POST {endpoint}` and `chat {model}`, made once per endpoint and model rather than once per request. */
  private readonly serverSpanNames = new SpanNames('POST ');
  private readonly clientSpanNames = new SpanNames('chat ');
  /** The last request's trace and server span, for `lastTraceparent` (only a distributed trace event needs it). */
  private lastTraceId = '';
  private lastServerSpanId = '';

  private constructor(private readonly telemetry: Telemetry) {}

  /** Undefined when tracing is off: the caller's whole cost is then one check. */
  static create(): RequestSpans | undefined {
    const telemetry = activeTelemetry();
    return telemetry ? new RequestSpans(telemetry) : undefined;
  }

  /**
   * The `traceparent` of the server span `finished` wrote last, for the request's trace event (the request-log
   * write becomes its child): made only when asked, since only an event sent over NATS carries it.
   */
  lastTraceparent(): string {
    return traceparentOf({ traceId: this.lastTraceId, spanId: this.lastServerSpanId });
  }

  finished(facts: RequestSpanFacts, event: RequestFinishedEvent, headers: IncomingHttpHeaders): void {
    const { telemetry } = this;
    const spans = telemetry.spans;
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

    // Written attribute by attribute (no attribute object, no span object with OTLP/protobuf: ADR 0014).
    const serverSpanId = telemetry.ids.generateSpanId();
    /** The request's own attributes, written once for the server span and repeated as bytes in the client's. */
    let requestAttributesKept = false;
    const startMs = epochMsOf(facts.startedAt);
    if (
      spans.begin({
        name: this.serverSpanNames.of(event.endpoint),
        kind: SpanKind.SERVER,
        traceId,
        spanId: serverSpanId,
        parent,
        startMs,
        endMs,
      })
    ) {
      spans.attribute(A['http.request.method'], 'POST');
      spans.attribute(A['http.route'], event.endpoint);
      spans.attribute(A['url.path'], event.endpoint);
      spans.attribute(A['http.response.status_code'], event.status);
      spans.attribute(A['ah.request_id'], event.requestId);
      spans.attribute(A['ah.client_protocol'], event.clientProtocol);
      spans.attribute(A['gen_ai.request.stream'], event.stream);
      spans.beginRepeatable();
      writeRequestAttributes(spans, facts, event);
      spans.endRepeatable();
      requestAttributesKept = true;
      if (event.errorCode !== null) spans.attribute(A['error.type'], event.errorCode);
      if (event.ttftMs !== null) spans.attribute(A['ah.time_to_first_byte_ms'], event.ttftMs);
      // A server span is an error for what the gateway or the upstream failed (5xx), not for a client's 4xx.
      spans.end(links, event.status >= 500 ? (event.errorCode ?? 'error') : undefined);
    }

    this.lastTraceId = traceId;
    this.lastServerSpanId = serverSpanId;
    if (facts.upstreamStartedAt === undefined || event.mappedModel === null || facts.decision === undefined) return;
    // What the provider was asked for: the mapped model through the channel's model_map (an Azure deployment).
    const requestModel = facts.decision.upstreamModel;
    const head = {
      name: this.clientSpanNames.of(requestModel),
      kind: SpanKind.CLIENT,
      traceId,
      spanId: telemetry.ids.generateSpanId(),
      parent: { traceId, spanId: serverSpanId, traceFlags: 1 },
      startMs: epochMsOf(facts.upstreamStartedAt),
      endMs: facts.upstreamEndedAt !== undefined ? epochMsOf(facts.upstreamEndedAt) : endMs,
    };
    if (!spans.begin(head)) return;
    const upstream = upstreamServerOf(facts.decision.channel.baseUrl);
    spans.attribute(A['gen_ai.operation.name'], 'chat');
    spans.attribute(A['gen_ai.provider.name'], upstream.provider);
    spans.attribute(A['gen_ai.request.model'], requestModel);
    spans.attribute(A['gen_ai.request.stream'], event.stream);
    spans.attribute(A['server.address'], upstream.address);
    spans.attribute(A['server.port'], upstream.port);
    if (requestAttributesKept) spans.repeat();
    else writeRequestAttributes(spans, facts, event);
    if (facts.responseModel !== undefined) spans.attribute(A['gen_ai.response.model'], facts.responseModel);
    if (facts.responseId !== undefined) spans.attribute(A['gen_ai.response.id'], facts.responseId);
    if (facts.finishReasons !== undefined) spans.attribute(A['gen_ai.response.finish_reasons'], facts.finishReasons);
    if (event.inputTokens !== null) spans.attribute(A['gen_ai.usage.input_tokens'], event.inputTokens);
    if (event.outputTokens !== null) spans.attribute(A['gen_ai.usage.output_tokens'], event.outputTokens);
    if (event.cachedInputTokens !== null) spans.attribute(A['gen_ai.usage.cache_read.input_tokens'], event.cachedInputTokens);
    if (event.reasoningTokens !== null) spans.attribute(A['gen_ai.usage.reasoning.output_tokens'], event.reasoningTokens);
    if (event.stream && facts.firstByteAt !== undefined && facts.firstByteAt > facts.upstreamStartedAt) {
      spans.attribute(A['gen_ai.response.time_to_first_chunk'], (facts.firstByteAt - facts.upstreamStartedAt) / 1000);
    }
    if (event.errorCode !== null) spans.attribute(A['error.type'], event.errorCode);
    // Prompt and response capture (ADR 0011), when it was on for this request.
    if (event.capture !== undefined) writeCapturedMessages(spans, event.capture);
    const upstreamFailed = event.errorCode !== null && event.errorCode !== 'client_closed';
    spans.end(undefined, upstreamFailed ? event.errorCode! : undefined);
  }
}

/** Span names with a fixed prefix, by what follows it (a few endpoints, a few models; bounded all the same). */
class SpanNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly prefix: string) {}

  of(suffix: string): string {
    let name = this.names.get(suffix);
    if (name === undefined) {
      if (this.names.size >= 1_000) this.names.clear();
      name = this.prefix + suffix;
      this.names.set(suffix, name);
    }
    return name;
  }
}

/** What both spans say about the request: who (key id, project), how it was routed, and its conversation. */
function writeRequestAttributes(spans: FinishedSpanWriter, facts: RequestSpanFacts, event: RequestFinishedEvent): void {
  if (event.apiKeyId !== null) spans.attribute(A['ah.api_key.id'], event.apiKeyId);
  if (event.projectId !== null) spans.attribute(A['ah.project.id'], event.projectId);
  if (event.requestedModel !== null) spans.attribute(A['ah.model.requested'], event.requestedModel);
  if (event.mappedModel !== null) spans.attribute(A['ah.model.mapped'], event.mappedModel);
  if (event.channelName !== null) spans.attribute(A['ah.channel'], event.channelName);
  const profile = facts.decision?.profileName;
  if (profile !== undefined && profile !== null) spans.attribute(A['ah.profile'], profile);
  if (event.warnings.length > 0) spans.attribute(A['ah.warnings'], event.warnings);
  const conversation = facts.conversation;
  if (conversation !== undefined) {
    spans.attribute(A['ah.conversation.key'], conversation.key);
    spans.attribute(A['ah.conversation.source'], conversation.source);
    // Only an id the client sent as one: a `prompt_cache_key` is a cache hint the gateway groups by.
    if (conversation.source !== 'prompt_cache_key') spans.attribute(A['gen_ai.conversation.id'], conversation.key);
  }
}

/**
 * The span attributes of captured bodies: the request as the client sent it and the answer as the client
 * received it (JSON, or the SSE text of a stream), already redacted and capped by the capture (ADR 0011).
 * They are the client protocol's own shapes, not the GenAI conventions' normalised message list: the
 * same bytes the request log holds, so the span and the log never disagree.
 */
function writeCapturedMessages(spans: FinishedSpanWriter, capture: CapturedBodies): void {
  spans.attribute(A['gen_ai.input.messages'], capture.request);
  spans.attribute(A['gen_ai.output.messages'], capture.response);
  spans.attribute(A['ah.capture.request_truncated'], capture.requestTruncated);
  spans.attribute(A['ah.capture.response_truncated'], capture.responseTruncated);
}
