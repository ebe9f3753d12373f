import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, type ChannelSnapshot } from '@gw/contracts';
import { GatewayError, WarningCollector, jsonBytes, timeOrderedUuid, type IrRequest } from '@gw/ir';
import { ConversationKeyResolver, type RouteDecision } from '@gw/routing-core';
import type { ClientBody, ClientWire, InboundRoute, UpstreamWire } from '@gw/wire';
import { ApiKeyResolver } from '../auth/api-key-resolver';
import { readJsonBody } from '../http/json-body';
import { RoutingTableHolder } from '../routing/routing-table.holder';
import { RequestMetrics } from '../metrics/request-metrics';
import { CapturePolicy } from '../trace/capture-policy';
import { RequestSpans } from '../trace/request-spans';
import { TraceEventPublisher } from '../trace/trace-event.publisher';
import { ClientConnection } from './client-connection';
import { InFlightRequests } from './in-flight-requests';
import { chooseProfile } from './profile-choice';
import { PassthroughRelay } from './passthrough.relay';
import { RequestRecord } from './request-record';
import { JSON_HEADERS, gatewayHeaders } from './response-headers';
import { TokenCountRelay } from './token-count.relay';
import { TranslatingRelay, clientClosed } from './translating.relay';
import type { UpstreamTarget } from './upstream.client';
import { resolvedChannel } from './resolved-channels';
import { passthroughRejectedFields, withoutRejectedFields } from './vendor-quirks';
import { upstreamWireFor } from '@gw/protocol-registry';

/**
 * Everything one proxied request carries through the relays, for as long as its answer streams. Only the
 * request's summary: the decoded request and the client's body are large (Codex sends ~46 KB) and are done
 * with once the upstream request is built; held for a whole stream, they outlive young-generation
 * collections and are promoted to the old generation with every concurrent request.
 */
export interface ProxyExchange {
  record: RequestRecord;
  client: ClientConnection;
  /** The client's protocol. */
  wire: ClientWire;
  /** The channel's protocol. */
  upstream: UpstreamWire;
  decision: RouteDecision;
  channel: ChannelSnapshot;
  /** The upstream request's URL (the channel resolved with its preset) and its signing headers. */
  target: UpstreamTarget;
  request: RequestSummary;
  headers: Record<string, string>;
  /** Pass-through: top-level fields to take out of the forwarded body (the channel's vendor rejects them). */
  rejectedFields?: readonly string[];
}

/** What the relays need to know about the client's request once the upstream body exists. */
export type RequestSummary = Pick<IrRequest, 'model' | 'stream' | 'includeUsageInStream'>;

/**
 * The data plane: authenticate (memory first), decode the client protocol, map the model through the
 * key's profile, pick the channel, then relay — as-is when the channel speaks the client's protocol,
 * through the IR otherwise. No network hop but the upstream call when caches are warm.
 */
@Injectable()
export class ProxyService {
  private readonly logger = new Logger(ProxyService.name);
  private readonly conversations: ConversationKeyResolver;
  private readonly bodyLimitBytes: number;
  private readonly bodyTimeoutMs: number;
  /** Undefined when tracing is off (no OTLP endpoint): then a finished request costs one check. */
  private readonly spans = RequestSpans.create();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly apiKeys: ApiKeyResolver,
    private readonly routing: RoutingTableHolder,
    private readonly traces: TraceEventPublisher,
    private readonly passthrough: PassthroughRelay,
    private readonly translating: TranslatingRelay,
    private readonly tokenCounts: TokenCountRelay,
    private readonly inFlight: InFlightRequests,
    private readonly metrics: RequestMetrics,
    private readonly capture: CapturePolicy,
  ) {
    this.conversations = new ConversationKeyResolver(config.server.trace.extra_trace_headers, config.server.trace.client_conventions);
    this.bodyLimitBytes = config.server.body_limit_bytes;
    this.bodyTimeoutMs = config.server.request_body_timeout_ms;
  }

  /** Never rejects: every failure becomes an answer in the client's protocol and a request-log row. */
  async handle(wire: ClientWire, route: InboundRoute, query: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The id every answer carries as AH-Request-Id, and the request-log row's key.
    const record = new RequestRecord(timeOrderedUuid(), wire.name, route.endpoint);
    const client = new ClientConnection(response);
    let traceId: string | undefined;
    try {
      this.inFlight.admit(client); // a shutdown waits for it (and ends it at its drain deadline)
      // The key first: an unknown client gets its 401 without the gateway buffering its body.
      const key = await this.apiKeys.resolve(wire.apiKey(request.headers, query));
      record.authenticated(key);
      // Before the body too: a profile the key does not have is refused without buffering anything.
      const profile = chooseProfile(request.headers, key, this.routing.table());
      client.capture = this.capture.forRequest(key.projectId, this.routing.table());
      const body = await readJsonBody(request, this.bodyLimitBytes, this.bodyTimeoutMs);
      if (client.capture !== undefined) client.capture.requestBody(body.bytes);
      const irRequest = wire.decodeRequest(body.value, route);
      const conversation = this.conversations.resolve(request.headers, irRequest.promptCacheKey, irRequest.user);
      traceId = conversation?.key;
      const threadHeader = request.headers['ah-thread-id'];
      record.decoded(
        irRequest.model,
        irRequest.stream,
        conversation,
        typeof threadHeader === 'string' && threadHeader !== '' ? threadHeader : undefined,
      );
      const decision = this.routing.table().route(key.apiKeyId, profile, irRequest.model);
      if (!decision) {
        throw new GatewayError('model_not_found', `The model \`${irRequest.model}\` does not exist or you do not have access to it.`, {
          param: 'model',
        });
      }
      record.routed(decision);
      const { channel } = decision;
      const upstream = upstreamWireFor(channel.type);
      const passthrough = channel.type === wire.nativeChannelType;
      if (!passthrough && wire.passthroughPath !== undefined) throw notServedBy(wire, channel);
      const exchange: ProxyExchange = {
        record,
        client,
        wire,
        upstream,
        decision,
        channel,
        target: upstreamTarget(upstream, decision, irRequest.stream, passthrough ? wire : undefined, request),
        request: { model: irRequest.model, stream: irRequest.stream, includeUsageInStream: irRequest.includeUsageInStream },
        headers: {},
      };
      const warnings = new WarningCollector();
      if (route.operation === 'count_tokens') {
        exchange.headers = gatewayHeaders(record.requestId, traceId, []);
        await this.tokenCounts.relay(exchange, body as ClientBody, irRequest, passthrough);
      } else if (passthrough) {
        // decodeRequest accepted the body, so it is an object.
        const clientBody = body as ClientBody;
        exchange.rejectedFields = passthroughRejectedFields(channel, clientBody.value, irRequest.stream, warnings);
        warned(exchange, warnings, traceId);
        await this.passthrough.relay(exchange, clientBody);
      } else {
        // The upstream's own name for the model (the channel's model_map: an Azure deployment), not the profile's.
        const encoded = upstream.encodeRequest({ ...irRequest, model: decision.upstreamModel }, warnings);
        const upstreamBody = withoutRejectedFields(channel, encoded.body, warnings);
        warned(exchange, warnings, traceId);
        // Bytes, not a string: the same JSON, made without re-encoding Codex's instructions every turn (ADR 0023).
        await this.translating.relay(exchange, jsonBytes(upstreamBody), encoded.toolNames);
      }
    } catch (error) {
      // A client that left is not an error of ours or the upstream's, whatever its cancellation caused.
      const failure = client.aborted ? clientClosed() : toGatewayErrorFromUnknown(error, this.logger);
      // A body left unread (401, 413) is not drained: the connection closes after the error instead.
      this.fail(wire, client, record, failure, traceId, !request.complete);
    } finally {
      client.end();
      if (client.capture !== undefined) record.capture = client.capture.seal(record.redactor, this.capture.patterns);
      const event = record.toEvent();
      this.metrics.finished(event);
      // Before the publish: the in-process bus hands the event over to the writer.
      this.spans?.finished(record.spanFacts(), event, request.headers);
      this.traces.publish(event, this.spans);
      this.inFlight.delete(client);
    }
  }

  /** An error before the answer started: a plain HTTP error in the client's protocol envelope. */
  private fail(
    wire: ClientWire,
    client: ClientConnection,
    record: RequestRecord,
    error: GatewayError,
    traceId: string | undefined,
    closeConnection: boolean,
  ): void {
    error.requestId = record.requestId;
    record.failed(error);
    if (client.aborted) return;
    if (client.headersSent) {
      // Relays render in-stream failures themselves; reaching here means the stream was already ended.
      return;
    }
    const headers: Record<string, string> = {
      ...error.headers,
      ...JSON_HEADERS,
      ...gatewayHeaders(record.requestId, traceId, record.warnings),
    };
    if (closeConnection) headers.connection = 'close';
    const answer = wire.errorResponse(error);
    client.respond(answer.status, headers, JSON.stringify(answer.body));
  }
}

/** What the upstream request could not carry: on the request-log row and in the answer's `AH-Warnings`. */
function warned(exchange: ProxyExchange, warnings: WarningCollector, traceId: string | undefined): void {
  const { record } = exchange;
  record.warnings = warnings.list.map((warning) => `${warning.code}: ${warning.message}`);
  exchange.headers = gatewayHeaders(record.requestId, traceId, record.warnings);
}

/**
 * Where the request goes and how it is signed: the channel resolved with its preset (URL for the upstream model,
 * the preset's auth or the protocol's, the channel's extra headers). On a pass-through (`passthrough` is the
 * client's wire) the path may be the client protocol's own (an operation only pass-through serves, such as
 * embeddings), and the client headers its protocol forwards go as they came (Anthropic's version and beta
 * flags: the upstream must see what the client asked for).
 */
function upstreamTarget(
  upstream: UpstreamWire,
  decision: RouteDecision,
  stream: boolean,
  passthrough: ClientWire | undefined,
  request: IncomingMessage,
): UpstreamTarget {
  const resolved = resolvedChannel(decision.channel);
  const path = passthrough?.passthroughPath ?? upstream.requestPath(decision.upstreamModel, stream);
  const url = resolved.url(decision.upstreamModel, path);
  const forwarded = passthrough?.forwardedHeaders;
  if (forwarded === undefined) return { ...url, headers: resolved.headers };
  const headers = { ...resolved.headers };
  for (const name of forwarded) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return { ...url, headers };
}

/** An operation only its protocol's own channel type serves (embeddings), routed to another type. */
function notServedBy(wire: ClientWire, channel: ChannelSnapshot): GatewayError {
  return new GatewayError(
    'invalid_request',
    `The model is served by channel "${channel.name}" of type ${channel.type}, which cannot serve ${wire.paths.join(', ')}: ` +
      `only channels of type ${wire.nativeChannelType} can.`,
    { param: 'model' },
  );
}

export function toGatewayErrorFromUnknown(error: unknown, logger: Logger): GatewayError {
  if (error instanceof GatewayError) return error;
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new GatewayError('internal_error', 'The gateway failed to process the request.');
}
