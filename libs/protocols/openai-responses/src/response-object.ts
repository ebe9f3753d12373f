import type { CodecContext } from '@gw/ir';
import type { ResponseObject, ResponseStatus, ResponsesOutputItem, ResponsesUsage } from './responses.schema';

/**
 * The id the client sees. A Responses upstream's own `resp_...` id is kept (it lets a trace be matched with the
 * provider's logs); any other id (`chatcmpl-...`, `msg_...`) is replaced because SDKs and Codex expect `resp_`.
 */
export function clientResponseId(upstreamId: string | undefined, ctx: CodecContext): string {
  return upstreamId !== undefined && upstreamId.startsWith('resp_') ? upstreamId : ctx.newId('resp');
}

export interface ResponseObjectFields {
  id: string;
  createdAt: number;
  model: string;
  status: ResponseStatus;
  output: ResponsesOutputItem[];
  usage?: ResponsesUsage;
  error?: { code: string; message: string };
  incompleteDetails?: { reason: string } | null;
}

/**
 * A complete Response object. Fields the codec does not know (the request's tools, sampling parameters) get
 * the API's neutral defaults: clients read `id`, `status`, `output`, `usage`, `error`, not the echo.
 */
export function buildResponseObject(fields: ResponseObjectFields): ResponseObject {
  return {
    id: fields.id,
    object: 'response',
    created_at: fields.createdAt,
    status: fields.status,
    error: fields.error ?? null,
    incomplete_details: fields.incompleteDetails ?? null,
    model: fields.model,
    output: fields.output,
    usage: fields.usage ?? null,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    metadata: {},
    instructions: null,
    previous_response_id: null,
    store: false,
    text: { format: { type: 'text' } },
    truncation: 'disabled',
  };
}
