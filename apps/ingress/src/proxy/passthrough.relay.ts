import { Injectable } from '@nestjs/common';
import { GatewayError } from '@gw/ir';
import { SseParser, formatSseEvent, type SseEvent } from '@gw/sse';
import type { ClientBody } from '@gw/wire';
import { codecContext } from './codec-context';
import { SseEventSplitter } from './sse-event-splitter';
import { eventStartBefore, scanDataLines } from './sse-data-lines';
import type { ProxyExchange } from './proxy.service';
import { JSON_HEADERS } from './response-headers';
import { failStream } from './translating.relay';
import { fetchWholeAnswer, incompleteStream, openUpstreamStream, parseUpstreamJsonObject } from './upstream-body';
import { UpstreamClient } from './upstream.client';

/**
 * Channel speaks the client's protocol: forward the client's body with the mapped model, and the
 * upstream's answer as it came — once it is judged to be one. A whole answer must parse as a JSON object
 * and not be an error object; a stream's events must be JSON, and the stream must reach its protocol's
 * terminal event, or the client gets an error in its protocol instead of a success. Events are parsed
 * only to read usage and errors for the request log.
 */
@Injectable()
export class PassthroughRelay {
  constructor(private readonly upstreamClient: UpstreamClient) {}

  async relay(exchange: ProxyExchange, clientBody: ClientBody): Promise<void> {
    const { client, channel, request, wire, upstream, record } = exchange;
    const hooks = wire.passthrough;
    // The upstream's own name for the model (model_map), without the fields its vendor rejects (preset
    // quirks): one edit of the client's bytes.
    const body = hooks.upstreamBody(clientBody, exchange.decision.upstreamModel, request.stream, exchange.rejectedFields ?? []);
    if (!request.stream) {
      const answer = await fetchWholeAnswer(this.upstreamClient, exchange, body);
      const parsed = parseUpstreamJsonObject(answer, channel.name);
      // An error object behind a success status is an error, whatever the status said.
      if (hooks.isErrorAnswer(parsed)) throw upstream.decodeError(502, answer.body.toString('utf8'));
      record.observedUsage(hooks.usageOf(parsed));
      const identity = hooks.identityOf(parsed);
      record.answered(identity.id, identity.model);
      for (const reason of hooks.finishReasonsOf(parsed)) record.finished(reason);
      const bytes = record.redactor.appearsIn(answer.body) ? record.redactor.redactBytes(answer.body) : answer.body;
      client.respond(200, { ...JSON_HEADERS, ...exchange.headers }, bytes);
      return;
    }

    const response = await openUpstreamStream(this.upstreamClient, exchange, body);
    const wantsUsage = request.includeUsageInStream ?? false;
    // This stream's own: what earlier events said can decide what a later one means.
    const inspector = hooks.createInspector();
    const splitter = new SseEventSplitter();
    /** The stream reached its terminal event, or the upstream reported its failure in it. */
    let ended = false;
    /** A failure the upstream reported in a shape the client's protocol does not have: rendered in its own, after what came before. */
    let unforwardedFailure: GatewayError | undefined;
    const relayEvents = (events: SseEvent[]): string => {
      let out = '';
      for (const event of events) {
        const verdict = inspector.inspect(event, wantsUsage, record.usageSoFar);
        record.observedUsage(verdict.usage);
        if (verdict.answer) {
          record.answered(verdict.answer.id, verdict.answer.model);
          record.finished(verdict.answer.finishReason);
        }
        if (verdict.terminal) ended = true;
        if (verdict.errorMessage) {
          ended = true;
          const failure = new GatewayError('upstream_error', verdict.errorMessage);
          if (verdict.forward) {
            record.failed(failure, 502);
            // Forwarded in the upstream's words, which may quote the credential it was sent.
            out += formatSseEvent(record.redactor.redact(event.data), event.event);
          } else unforwardedFailure ??= failure;
        } else if (verdict.forward) {
          out += formatSseEvent(event.data, event.event);
        }
      }
      return out;
    };
    // Most blocks go out as the raw bytes that came in; only blocks that may hold usage or an error are parsed.
    const relayBlock = async (block: Buffer): Promise<void> => {
      if (block.length === 0) return;
      const scan = scanDataLines(block);
      if (!ended && inspector.completesIn(block)) {
        ended = true;
        record.finished(inspector.finishReasonIn(block));
      }
      if (scan.done) ended = true;
      const good = scan.malformedEventAt === -1 ? block : block.subarray(0, scan.malformedEventAt);
      const point = inspector.inspectionPoint(good);
      const inspectFrom = point === -1 ? good.length : eventStartBefore(good, point);
      let raw = good.subarray(0, inspectFrom);
      let inspected = '';
      if (inspectFrom < good.length) {
        const parser = new SseParser();
        const tail = good.subarray(inspectFrom);
        inspected = relayEvents([...parser.push(tail), ...parser.end()]);
      }
      if (record.redactor.appearsIn(raw)) raw = record.redactor.redactBytes(raw);
      if (raw.length > 0 || inspected.length > 0) {
        record.firstByte();
        await client.write(raw);
        await client.write(inspected);
      }
      if (unforwardedFailure !== undefined) throw unforwardedFailure;
      if (scan.malformedEventAt !== -1) {
        throw new GatewayError('upstream_error', `Upstream channel "${channel.name}" sent a stream event that is not JSON.`);
      }
    };
    try {
      for await (const chunk of response.chunks()) await relayBlock(splitter.push(chunk));
      await relayBlock(splitter.end());
      if (!ended) throw incompleteStream(channel.name);
    } catch (error) {
      await failStream(exchange, wire.createStreamEncoder(codecContext, { model: request.model, includeUsage: false }), error);
    }
  }
}
