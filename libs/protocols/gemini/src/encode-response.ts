import { flattenToolName, isJsonObject, type CodecContext, type IrItem, type IrResponse } from '@gw/ir';
import type { GeminiPart, GeminiResponse, JsonObject } from './gemini.schema';
import { irFinishReasonToGemini } from './finish-reason';
import { clientSignature, geminiString } from './provider-data';
import { encodeGeminiUsage } from './usage';

/**
 * IR → the client's `GenerateContentResponse`: one candidate whose parts are the output in order (reasoning as
 * `thought` parts, text, function calls with their arguments as an object), the finish reason, the usage and
 * `modelVersion` = the model the client asked for. Gemini signatures go back on their parts; another provider's
 * reasoning state rides in the thought's `thoughtSignature` as the gateway's envelope, which the client sends back.
 */
export function encodeGeminiResponse(ir: IrResponse, ctx: CodecContext, options: { model: string }): GeminiResponse {
  return {
    candidates: [
      {
        content: { role: 'model', parts: ir.output.flatMap(encodeOutputItem) },
        finishReason: irFinishReasonToGemini(ir.finishReason),
        index: 0,
      },
    ],
    usageMetadata: encodeGeminiUsage(ir.usage),
    modelVersion: options.model,
    responseId: geminiResponseId(ir.id, ctx),
  };
}

/** The upstream's id unless it is another protocol's (`resp_`, `msg_`, `chatcmpl`): Gemini ids have no prefix. */
export function geminiResponseId(upstreamId: string | undefined, ctx: CodecContext): string {
  if (upstreamId !== undefined && upstreamId !== '' && !/^(resp_|msg_|chatcmpl)/.test(upstreamId)) return upstreamId;
  return ctx.newId('resp').replace(/^resp_/, '');
}

function signed(signature: string | undefined): { thoughtSignature?: string } {
  return signature === undefined ? {} : { thoughtSignature: signature };
}

export function encodeOutputItem(item: IrItem): GeminiPart[] {
  switch (item.kind) {
    case 'reasoning': {
      const text = item.text ?? (item.summary ?? []).join('\n\n');
      const signature = clientSignature(item.providerData);
      if (text !== '') return [{ text, thought: true, ...signed(signature) }];
      return signature === undefined ? [] : [{ text: '', thoughtSignature: signature }];
    }
    case 'message':
      return item.content.flatMap((part): GeminiPart[] =>
        (part.type === 'text' || part.type === 'refusal') && part.text !== ''
          ? [{ text: part.text, ...(part.type === 'text' ? signed(geminiString(part, 'thoughtSignature')) : {}) }]
          : [],
      );
    case 'tool_call':
      return [
        {
          functionCall: { name: flattenToolName(item.name, item.namespace), args: parseArgs(item.arguments) },
          ...signed(geminiString(item, 'thoughtSignature')),
        },
      ];
    case 'tool_result':
      return [];
  }
}

/** The model's argument text as the object Gemini clients expect; text that is not a JSON object is wrapped, not lost. */
export function parseArgs(text: string): JsonObject {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // falls through
  }
  return { arguments: text };
}
