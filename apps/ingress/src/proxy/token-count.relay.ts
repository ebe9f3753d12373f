import { Injectable } from '@nestjs/common';
import { GatewayError, WarningCollector, estimateInputTokens, type IrRequest } from '@gw/ir';
import type { ClientBody } from '@gw/wire';
import type { ProxyExchange } from './proxy.service';
import { resolvedChannel } from './resolved-channels';
import { JSON_HEADERS } from './response-headers';
import { fetchWholeAnswer, parseUpstreamJsonObject } from './upstream-body';
import { UpstreamClient } from './upstream.client';

/** Says how a count was made: `upstream` when the channel counted, `estimate` when the gateway did. */
export const TOKEN_COUNT_HEADER = 'ah-token-count';

/**
 * A `count_tokens` operation (Anthropic's `POST /v1/messages/count_tokens`, Gemini's `:countTokens`), after the key, the profile and
 * the route were checked like any inference request. A channel of the client's protocol counts the client's
 * body as it came (the mapped model edited in); a channel of another protocol that can count gets the request
 * translated; any other channel gets no request at all, and the client the gateway's estimate
 * (`estimateInputTokens`). The answer is the client protocol's count shape either way (a channel of its own
 * protocol's answer as it came, once its count was found in it); usage is not
 * recorded, since nothing was generated or billed.
 */
@Injectable()
export class TokenCountRelay {
  constructor(private readonly upstreamClient: UpstreamClient) {}

  async relay(exchange: ProxyExchange, clientBody: ClientBody, request: IrRequest, passthrough: boolean): Promise<void> {
    const { wire, upstream, decision, client, record, channel } = exchange;
    const encodeCount = wire.encodeTokenCount;
    if (encodeCount === undefined) throw new GatewayError('internal_error', `${wire.name} has no token count shape.`);
    const counter = upstream.countTokens;
    const answer = (body: unknown, how: 'upstream' | 'estimate'): void =>
      client.respond(200, { ...JSON_HEADERS, ...exchange.headers, [TOKEN_COUNT_HEADER]: how }, JSON.stringify(body));
    if (counter === undefined) {
      answer(encodeCount(estimateInputTokens(request)), 'estimate');
      return;
    }
    // The upstream's own name for the model (the channel's model_map), as for inference.
    const model = decision.upstreamModel;
    const body = passthrough
      ? wire.passthrough.upstreamBody(clientBody, model, false)
      : JSON.stringify(counter.requestBody(upstream.encodeRequest({ ...request, model }, new WarningCollector()).body, model));
    const url = resolvedChannel(channel).url(model, counter.requestPath(model));
    const counting: ProxyExchange = { ...exchange, target: { ...url, headers: exchange.target.headers } };
    const upstreamAnswer = await fetchWholeAnswer(this.upstreamClient, counting, body);
    const parsed = parseUpstreamJsonObject(upstreamAnswer, channel.name);
    const count = counter.decodeCount(parsed);
    if (count === undefined) {
      throw new GatewayError('upstream_error', `Upstream channel "${channel.name}" answered a token count without a count.`, {
        upstreamStatus: upstreamAnswer.status,
      });
    }
    record.answered(undefined, model);
    // The client's own protocol counted: its whole answer goes back (Gemini's `promptTokensDetails` and
    // `cachedContentTokenCount` too); a translated one only has the count to give.
    answer(passthrough ? parsed : encodeCount(count), 'upstream');
  }
}
