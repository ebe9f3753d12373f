import type { IrContentPart, IrItem, IrToolResultPart } from './items';
import type { IrRequest } from './request';

/** English prose and code average about four characters per token in the tokenizers of current models. */
export const CHARACTERS_PER_TOKEN = 4;
/**
 * What one image costs: Anthropic bills (width × height) / 750 tokens and scales images down to about 1.15
 * megapixels, so ~1,600 tokens is the most an image costs there; an image's bytes say nothing about it.
 */
export const TOKENS_PER_IMAGE = 1_600;
/** Role markers and framing around each conversation item. */
export const TOKENS_PER_ITEM = 4;

/**
 * An estimate of a request's input tokens, for protocols that count tokens (Anthropic `count_tokens`)
 * routed to an upstream that cannot: every text the model reads (system and conversation text, reasoning,
 * tool calls' arguments, tool results, tool definitions with their JSON schemas) at four characters a
 * token, rounded up, plus a fixed cost per image and per item. Errs high rather than low: clients use the
 * count to decide when to compact a conversation, and a count too low lets the context overflow.
 */
export function estimateInputTokens(request: IrRequest): number {
  const count = { characters: 0, images: 0 };
  for (const item of request.items) countItem(item, count);
  for (const tool of request.tools) {
    count.characters +=
      tool.kind === 'function'
        ? tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters ?? {}).length
        : JSON.stringify(tool.original).length;
  }
  return Math.ceil(count.characters / CHARACTERS_PER_TOKEN) + count.images * TOKENS_PER_IMAGE + request.items.length * TOKENS_PER_ITEM;
}

function countItem(item: IrItem, count: { characters: number; images: number }): void {
  const countPart = (part: IrContentPart | IrToolResultPart): void => {
    if (part.type === 'image') count.images++;
    else if (part.type === 'text' || part.type === 'refusal') count.characters += part.text.length;
    else count.characters += JSON.stringify(part.original ?? '').length;
  };
  switch (item.kind) {
    case 'message':
      item.content.forEach(countPart);
      break;
    case 'reasoning':
      count.characters += (item.text ?? '').length + (item.summary ?? []).join('').length;
      break;
    case 'tool_call':
      count.characters += item.name.length + item.arguments.length;
      break;
    case 'tool_result':
      item.content.forEach(countPart);
      break;
  }
}
