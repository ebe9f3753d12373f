import { Injectable } from '@nestjs/common';
import { GatewayError } from '@gw/ir';
import { SseParser, formatSseEvent, type SseEvent } from '@gw/sse';
import { codecContext } from './codec-context';
import { passthroughHooks, type ClientBody } from './passthrough-hooks';
import { SseEventSplitter } from './sse-event-splitter';
import type { ProxyExchange } from './proxy.service';
import { upstreamProtocols } from './protocol-adapters';
import { JSON_HEADERS } from './response-headers';
import { failStream } from './translating.relay';
import { lastObjectMember } from './json-member';
import { fetchWholeAnswer, openUpstreamStream, upstreamJsonBytes } from './upstream-body';
import { UpstreamClient } from './upstream.client';

/**
 * Channel speaks the client's protocol: forward the client's body with the mapped model, and the
 * upstream's answer as it came. Events are parsed only to read usage for the request log.
 */
@Injectable()
export class PassthroughRelay {
  constructor(private readonly upstreamClient: UpstreamClient) {}

  async relay(exchange: ProxyExchange, clientBody: ClientBody): Promise<void> {
    const { client, channel, request, protocol, record } = exchange;
    const hooks = passthroughHooks[protocol.name];
    const upstream = upstreamProtocols[channel.type];
    const body = hooks.upstreamBody(clientBody, exchange.decision.mappedModel, request.stream);
    if (!request.stream) {
      const bytes = upstreamJsonBytes(await fetchWholeAnswer(this.upstreamClient, exchange, upstream, body), channel.name);
      record.observedUsage(hooks.usageOf(lastObjectMember(bytes, 'usage')));
      client.respond(200, { ...JSON_HEADERS, ...exchange.headers }, bytes);
      return;
    }

    const response = await openUpstreamStream(this.upstreamClient, exchange, upstream, body);
    const wantsUsage = request.includeUsageInStream ?? false;
    const splitter = new SseEventSplitter();
    const relayEvents = (events: SseEvent[]): string => {
      let out = '';
      for (const event of events) {
        const verdict = hooks.inspect(event, wantsUsage);
        record.observedUsage(verdict.usage);
        if (verdict.errorMessage) record.failed(new GatewayError('upstream_error', verdict.errorMessage), 502);
        if (verdict.forward) out += formatSseEvent(event.data, event.event);
      }
      return out;
    };
    // Most blocks go out as the raw bytes that came in; only blocks that may hold usage or an error are parsed.
    const relayBlock = async (block: Buffer): Promise<void> => {
      if (block.length === 0) return;
      const point = hooks.inspectionPoint(block);
      const inspectFrom = point === -1 ? block.length : eventStartBefore(block, point);
      const raw = block.subarray(0, inspectFrom);
      let inspected = '';
      if (inspectFrom < block.length) {
        const parser = new SseParser();
        const tail = block.subarray(inspectFrom);
        inspected = relayEvents([...parser.push(tail), ...parser.end()]);
      }
      if (raw.length === 0 && inspected.length === 0) return;
      record.firstByte();
      await client.write(raw);
      await client.write(inspected);
    };
    try {
      for await (const chunk of response.chunks()) await relayBlock(splitter.push(chunk));
      await relayBlock(splitter.end());
    } catch (error) {
      await failStream(exchange, protocol.createStreamEncoder(codecContext, { model: request.model, includeUsage: false }), error);
    }
  }
}

/** Start of the SSE event that contains byte `index` of a block of complete events. */
function eventStartBefore(block: Buffer, index: number): number {
  const lf = block.lastIndexOf('\n\n', index);
  const crlf = block.lastIndexOf('\r\n\r\n', index);
  return Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
}
