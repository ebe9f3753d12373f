import { flattenToolName, type CodecContext, type IrItem, type IrResponse } from '@gw/ir';
import type { AnthropicContentBlock, AnthropicMessageResponse } from './anthropic.schema';
import { anthropicString, foreignSignature } from './provider-data';
import { irFinishReasonToAnthropic } from './stop-reason';
import { encodeAnthropicUsage } from './usage';

/**
 * IR → the client's non-stream Message. `model` is the model the client asked for; the id is the upstream's
 * when it is a `msg_` id, else minted (Anthropic SDKs and Claude Code expect `msg_`). Reasoning from another
 * provider is shown as thinking whose signature is the gateway's envelope of that provider's state (or empty
 * when it has none): the client sends it back, and the issuer's upstream gets its state again (ADR 0015).
 */
export function encodeAnthropicResponse(ir: IrResponse, ctx: CodecContext, options: { model: string }): AnthropicMessageResponse {
  return {
    id: anthropicMessageId(ir.id, ctx),
    type: 'message',
    role: 'assistant',
    model: options.model,
    content: ir.output.flatMap(encodeOutputItem),
    stop_reason: irFinishReasonToAnthropic(ir.finishReason),
    stop_sequence: null,
    usage: encodeAnthropicUsage(ir.usage),
  };
}

export function anthropicMessageId(upstreamId: string | undefined, ctx: CodecContext): string {
  return upstreamId !== undefined && upstreamId.startsWith('msg_') ? upstreamId : ctx.newId('msg');
}

function encodeOutputItem(item: IrItem): AnthropicContentBlock[] {
  switch (item.kind) {
    case 'reasoning': {
      const redactedData = anthropicString(item, 'redactedData');
      if (redactedData !== undefined) return [{ type: 'redacted_thinking', data: redactedData }];
      const thinking = item.text ?? (item.summary ?? []).join('\n\n');
      const signature = anthropicString(item, 'signature') ?? foreignSignature(item.providerData) ?? '';
      return thinking === '' && signature === '' ? [] : [{ type: 'thinking', thinking, signature }];
    }
    case 'message':
      // Anthropic has no refusal block: refusal text is text, the stop reason says it was a refusal.
      return item.content.flatMap((part): AnthropicContentBlock[] =>
        (part.type === 'text' || part.type === 'refusal') && part.text !== '' ? [{ type: 'text', text: part.text }] : [],
      );
    case 'tool_call':
      return [{ type: 'tool_use', id: item.callId, name: flattenToolName(item.name, item.namespace), input: parseInput(item.arguments) }];
    case 'tool_result':
      return [];
  }
}

/** The model's argument text as the object Anthropic clients expect; text that is not a JSON object is wrapped, not lost. */
export function parseInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // falls through
  }
  return { arguments: text };
}
