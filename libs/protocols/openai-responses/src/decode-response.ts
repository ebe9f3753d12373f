import { GatewayError, type IrItem, type IrResponse } from '@gw/ir';
import { isJsonObject, numberOrUndefined, stringOrUndefined } from '@gw/ir';
import { decodeOutputItem } from './output-items';
import { finishForIncompleteReason } from './status';
import { decodeResponsesUsage } from './usage';

/** Upstream non-stream Response object → IR, leniently (only what is read is checked). */
export function decodeResponsesResponse(body: unknown): IrResponse {
  if (!isJsonObject(body)) throw new GatewayError('upstream_error', 'The upstream returned a response that is not a JSON object');
  if (body.status === 'failed' || (isJsonObject(body.error) && body.output === undefined)) {
    throw upstreamFailure(body.error);
  }
  const output: IrItem[] = Array.isArray(body.output)
    ? body.output.flatMap((raw: unknown) => {
        const item = decodeOutputItem(raw);
        return item === undefined ? [] : [item];
      })
    : [];
  const usage = decodeResponsesUsage(body.usage);
  const response: IrResponse = {
    id: stringOrUndefined(body.id) ?? '',
    model: stringOrUndefined(body.model) ?? '',
    created: numberOrUndefined(body.created_at) ?? 0,
    output,
    finishReason:
      body.status === 'incomplete'
        ? finishForIncompleteReason(isJsonObject(body.incomplete_details) ? body.incomplete_details.reason : undefined)
        : output.some((item) => item.kind === 'tool_call')
          ? 'tool_calls'
          : 'stop',
  };
  if (usage !== undefined) response.usage = usage;
  return response;
}

/** A failed upstream response (`response.error` or an `error` stream event) as the gateway's error. */
export function upstreamFailure(error: unknown): GatewayError {
  const message = isJsonObject(error) ? stringOrUndefined(error.message) : undefined;
  const code = isJsonObject(error) ? stringOrUndefined(error.code) : undefined;
  const text = message ?? 'The upstream response failed';
  return new GatewayError(
    code === 'rate_limit_exceeded' ? 'rate_limited' : 'upstream_error',
    code === undefined ? text : `${code}: ${text}`,
  );
}
