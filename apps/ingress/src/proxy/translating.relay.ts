import { Injectable } from '@nestjs/common';
import { GatewayError, type IrStreamEvent, type ToolNameMap } from '@gw/ir';
import { SseParser } from '@gw/sse';
import type { ClientStreamEncoder } from '@gw/wire';
import type { ProxyExchange } from './proxy.service';
import { codecContext } from './codec-context';
import { JSON_HEADERS } from './response-headers';
import { fetchWholeAnswer, incompleteStream, openUpstreamStream, parseUpstreamJson } from './upstream-body';
import { UpstreamClient, toGatewayError } from './upstream.client';

/**
 * Client protocol ≠ channel protocol: upstream answer → IR → client protocol. Streams are transformed
 * chunk by chunk as they arrive (never buffered whole), so time to first byte tracks the upstream's.
 */
@Injectable()
export class TranslatingRelay {
  constructor(private readonly upstreamClient: UpstreamClient) {}

  /** `upstreamBody` is the request encoded for the channel, as JSON; `toolNames` maps shortened tool names back. */
  async relay(exchange: ProxyExchange, upstreamBody: string, toolNames?: ToolNameMap): Promise<void> {
    const { client, channel, request, upstream } = exchange;
    if (!request.stream) {
      const answer = await fetchWholeAnswer(this.upstreamClient, exchange, upstreamBody);
      const decoded = upstream.decodeResponse(parseUpstreamJson(answer, channel.name), toolNames);
      exchange.record.observedUsage(decoded.usage);
      exchange.record.answered(decoded.id, decoded.model);
      exchange.record.finished(decoded.finishReason);
      const body = JSON.stringify(exchange.wire.encodeResponse(decoded, codecContext, request.model));
      client.respond(
        200,
        { ...JSON_HEADERS, ...exchange.headers },
        exchange.record.redactor.appearsIn(body) ? exchange.record.redactor.redact(body) : body,
      );
      return;
    }

    const response = await openUpstreamStream(this.upstreamClient, exchange, upstreamBody);
    const encoder = exchange.wire.createStreamEncoder(codecContext, {
      model: request.model,
      includeUsage: request.includeUsageInStream ?? false,
    });
    const decoder = upstream.createStreamDecoder(codecContext, toolNames);
    const parser = new SseParser();
    const { redactor } = exchange.record;
    const encode = (events: IrStreamEvent[]): string => {
      let out = '';
      for (const event of events) {
        exchange.record.observe(event);
        out += encoder.push(event);
      }
      return redactor.appearsIn(out) ? redactor.redact(out) : out;
    };
    try {
      for await (const chunk of response.chunks()) {
        let out = '';
        for (const sse of parser.push(chunk)) out += encode(decoder.push(sse));
        if (out.length > 0) {
          exchange.record.firstByte();
          await client.write(out);
        }
      }
      let tail = '';
      for (const sse of parser.end()) tail += encode(decoder.push(sse));
      tail += encode(decoder.end());
      // Without its terminal event the answer is not whole: the client must not be told it is (`[DONE]`,
      // `response.completed`), and what did arrive is sent before the error.
      if (!decoder.complete) {
        await client.write(tail);
        throw incompleteStream(channel.name);
      }
      tail += encoder.end();
      exchange.record.firstByte();
      await client.write(tail);
    } catch (error) {
      await failStream(exchange, encoder, error);
    }
  }
}

/**
 * After the stream started the status line is gone: report the failure in-stream in the client's protocol
 * (`response.failed` for Responses, an error chunk for Chat), never by silently cutting the stream.
 */
export async function failStream(exchange: ProxyExchange, encoder: Pick<ClientStreamEncoder, 'fail'>, error: unknown): Promise<void> {
  if (exchange.client.aborted) {
    exchange.record.failed(clientClosed());
    return;
  }
  const failure = toGatewayError(error, exchange.channel);
  failure.requestId = exchange.record.requestId;
  exchange.record.failed(failure);
  await exchange.client.write(encoder.fail(failure));
}

/** The client went away: never an upstream or internal error, whatever the cancellation looked like. */
export function clientClosed(): GatewayError {
  return new GatewayError('client_closed', 'The client closed the connection before the answer was complete.');
}
