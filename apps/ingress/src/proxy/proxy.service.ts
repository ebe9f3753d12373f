import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@gw/config';
import { GATEWAY_CONFIG, type ChannelSnapshot } from '@gw/contracts';
import { GatewayError, WarningCollector, jsonBytes, timeOrderedUuid, toOpenAiErrorBody, type IrRequest } from '@gw/ir';
import { ConversationKeyResolver, type RouteDecision } from '@gw/routing-core';
import { extractApiKey } from '../auth/api-key-extractor';
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
import type { ClientBody } from './passthrough-hooks';
import { PassthroughRelay } from './passthrough.relay';
import { upstreamProtocols, type ClientProtocol } from './protocol-adapters';
import { RequestRecord } from './request-record';
import { JSON_HEADERS, gatewayHeaders } from './response-headers';
import { TranslatingRelay, clientClosed } from './translating.relay';

/**
 * Everything one proxied request carries through the relays, for as long as its answer streams. Only the
 * request's summary: the decoded request and the client's body are large (Codex sends ~46 KB) and are done
 * with once the upstream request is built; held for a whole stream, they outlive young-generation
 * collections and are promoted to the old generation with every concurrent request.
 */
export interface ProxyExchange {
  record: RequestRecord;
  client: ClientConnection;
  protocol: ClientProtocol;
  decision: RouteDecision;
  channel: ChannelSnapshot;
  request: RequestSummary;
  headers: Record<string, string>;
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
    private readonly inFlight: InFlightRequests,
    private readonly metrics: RequestMetrics,
    private readonly capture: CapturePolicy,
  ) {
    this.conversations = new ConversationKeyResolver(config.server.trace.extra_trace_headers, config.server.trace.client_conventions);
    this.bodyLimitBytes = config.server.body_limit_bytes;
    this.bodyTimeoutMs = config.server.request_body_timeout_ms;
  }

  /** Never rejects: every failure becomes an answer in the client's protocol and a request-log row. */
  async handle(protocol: ClientProtocol, request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The id every answer carries as AH-Request-Id, and the request-log row's key.
    const record = new RequestRecord(timeOrderedUuid(), protocol.name, protocol.endpoint);
    const client = new ClientConnection(response);
    let traceId: string | undefined;
    try {
      this.inFlight.admit(client); // a shutdown waits for it (and ends it at its drain deadline)
      // The key first: an unknown client gets its 401 without the gateway buffering its body.
      const key = await this.apiKeys.resolve(extractApiKey(request.headers));
      record.authenticated(key);
      // Before the body too: a profile the key does not have is refused without buffering anything.
      const profile = chooseProfile(request.headers, key, this.routing.table());
      client.capture = this.capture.forRequest(key.projectId, this.routing.table());
      const body = await readJsonBody(request, this.bodyLimitBytes, this.bodyTimeoutMs);
      if (client.capture !== undefined) client.capture.requestBody(body.bytes);
      const irRequest = protocol.decodeRequest(body.value);
      const conversation = this.conversations.resolve(request.headers, irRequest.promptCacheKey);
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
      const exchange: ProxyExchange = {
        record,
        client,
        protocol,
        decision,
        channel: decision.channel,
        request: { model: irRequest.model, stream: irRequest.stream, includeUsageInStream: irRequest.includeUsageInStream },
        headers: {},
      };
      if (decision.channel.type === protocol.nativeChannelType) {
        exchange.headers = gatewayHeaders(record.requestId, traceId, []);
        // decodeRequest accepted the body, so it is an object.
        await this.passthrough.relay(exchange, body as ClientBody);
      } else {
        const warnings = new WarningCollector();
        const upstream = upstreamProtocols[decision.channel.type];
        const encoded = upstream.encodeRequest({ ...irRequest, model: decision.mappedModel }, warnings);
        record.warnings = warnings.list.map((warning) => `${warning.code}: ${warning.message}`);
        exchange.headers = gatewayHeaders(record.requestId, traceId, record.warnings);
        // Bytes, not a string: the same JSON, made without re-encoding Codex's instructions every turn (ADR 0018).
        await this.translating.relay(exchange, upstream, jsonBytes(encoded.body), encoded.toolNames);
      }
    } catch (error) {
      // A client that left is not an error of ours or the upstream's, whatever its cancellation caused.
      const failure = client.aborted ? clientClosed() : toGatewayErrorFromUnknown(error, this.logger);
      // A body left unread (401, 413) is not drained: the connection closes after the error instead.
      this.fail(client, record, failure, traceId, !request.complete);
    } finally {
      client.end();
      if (client.capture !== undefined) record.capture = client.capture.seal(record.redactor, this.capture.patterns);
      const event = record.toEvent();
      this.metrics.finished(event);
      // Before the publish: the in-process bus hands the event over to the writer.
      const traceparent = this.spans !== undefined ? this.spans.finished(record.spanFacts(), event, request.headers) : undefined;
      this.traces.publish(event, traceparent);
      this.inFlight.delete(client);
    }
  }

  /** An error before the answer started: a plain HTTP error in the client's protocol envelope. */
  private fail(
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
    client.respond(error.httpStatus, headers, JSON.stringify(toOpenAiErrorBody(error)));
  }
}

export function toGatewayErrorFromUnknown(error: unknown, logger: Logger): GatewayError {
  if (error instanceof GatewayError) return error;
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return new GatewayError('internal_error', 'The gateway failed to process the request.');
}
