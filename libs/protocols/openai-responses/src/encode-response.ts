import type { CodecContext, IrItem, IrResponse } from '@gw/ir';
import {
  customToolCallOutputItem,
  functionCallOutputItem,
  messageOutputItem,
  outputContentParts,
  reasoningOutputItem,
} from './output-items';
import { clientEncryptedContentOf, encryptedContentOf } from './provider-data';
import { buildResponseObject, clientResponseId } from './response-object';
import type { ResponseObject, ResponsesOutputItem } from './responses.schema';
import { outcomeForFinish } from './status';
import { encodeResponsesUsage } from './usage';

/**
 * IR → the client's non-stream Response object. `model` is the model the client asked for (the upstream's
 * may be an alias target). IR item ids are kept (Codex resends them); missing ones are minted by `ctx`.
 */
export function encodeResponsesResponse(ir: IrResponse, ctx: CodecContext, options: { model: string }): ResponseObject {
  const id = clientResponseId(ir.id, ctx);
  const outcome = outcomeForFinish(ir.finishReason);
  const itemStatus = outcome.status === 'incomplete' ? 'incomplete' : 'completed';
  const output = ir.output.flatMap((item) => encodeOutputItem(item, ctx, itemStatus));
  return buildResponseObject({
    id,
    createdAt: ir.created > 0 ? ir.created : ctx.now(),
    model: options.model,
    status: outcome.status,
    output,
    ...(ir.usage === undefined ? {} : { usage: encodeResponsesUsage(ir.usage) }),
    incompleteDetails: outcome.incompleteDetails,
    ...(outcome.status === 'failed'
      ? { error: { code: 'upstream_error', message: 'The upstream model ended the response with an error' } }
      : {}),
  });
}

function encodeOutputItem(item: IrItem, ctx: CodecContext, status: 'completed' | 'incomplete'): ResponsesOutputItem[] {
  switch (item.kind) {
    case 'reasoning': {
      // DeepSeek-style plain reasoning text has no summary: it is shown to the client as the summary.
      const summary = item.summary !== undefined && item.summary.length > 0 ? item.summary : item.text !== undefined ? [item.text] : [];
      // Only another issuer's state (a Gemini signature): no empty item stands in for it.
      if (summary.length === 0 && encryptedContentOf(item) === undefined) return [];
      const encryptedContent = clientEncryptedContentOf(item);
      return [reasoningOutputItem(item.id ?? ctx.newId('rs'), summary, encryptedContent)];
    }
    case 'message': {
      const content = outputContentParts(item.content);
      return content.length === 0 ? [] : [messageOutputItem(item.id ?? ctx.newId('msg'), content, status)];
    }
    case 'tool_call':
      if (item.freeform === true) {
        const { callId, name, namespace, arguments: input } = item;
        return [
          customToolCallOutputItem({
            id: item.id ?? ctx.newId('ct'),
            callId,
            name,
            ...(namespace === undefined ? {} : { namespace }),
            input,
            status: 'completed',
          }),
        ];
      }
      return [
        functionCallOutputItem({
          id: item.id ?? ctx.newId('fc'),
          callId: item.callId,
          name: item.name,
          ...(item.namespace === undefined ? {} : { namespace: item.namespace }),
          arguments: item.arguments,
          status: 'completed',
        }),
      ];
    case 'tool_result':
      // Tool results are client input; they never appear in model output.
      return [];
  }
}
