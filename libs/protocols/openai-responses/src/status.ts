import type { GatewayError, IrFinishReason } from '@gw/ir';
import type { ResponseStatus } from './responses.schema';

export interface ResponsesOutcome {
  status: Exclude<ResponseStatus, 'in_progress'>;
  incompleteDetails: { reason: string } | null;
}

/**
 * IR finish reason → Response `status`. Truncation is `incomplete` with `incomplete_details.reason`, exactly as
 * OpenAI reports it (`max_output_tokens`, `content_filter`).
 * @see https://platform.openai.com/docs/api-reference/responses/object#responses/object-incomplete_details
 */
export function outcomeForFinish(reason: IrFinishReason): ResponsesOutcome {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content_filter':
      return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
    case 'error':
      return { status: 'failed', incompleteDetails: null };
    default:
      return { status: 'completed', incompleteDetails: null };
  }
}

/** Upstream `incomplete_details.reason` → IR finish reason. */
export function finishForIncompleteReason(reason: unknown): IrFinishReason {
  return reason === 'content_filter' ? 'content_filter' : 'length';
}

/**
 * `response.error.code` for a gateway error. Codex reacts to a few OpenAI codes (retry delay parsing on
 * `rate_limit_exceeded`), so those are spoken in OpenAI's words; the rest keep the gateway's code.
 */
export function responsesErrorCode(error: GatewayError): string {
  switch (error.code) {
    case 'rate_limited':
      return 'rate_limit_exceeded';
    case 'internal_error':
      return 'server_error';
    default:
      return error.code;
  }
}
