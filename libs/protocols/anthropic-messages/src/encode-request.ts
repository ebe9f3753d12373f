import {
  chatFunctionName,
  freeformFunctionDescription,
  freeformFunctionParameters,
  isJsonObject,
  providerDataOf,
  warnForeignProviderData,
  type IrContentPart,
  type IrItem,
  type IrRequest,
  type IrTool,
  type IrToolChoice,
  type IrToolResultItem,
  type ToolNameMap,
  type WarningCollector,
  wrapFreeformInput,
} from '@gw/ir';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  JsonObject,
} from './anthropic.schema';
import { ANTHROPIC_ISSUER, anthropicString, anthropicValue, cacheControlOf, passthroughBlockOf } from './provider-data';

/**
 * `max_tokens` when the client gave none (Anthropic requires it, OpenAI clients rarely send it): 32,000 is
 * within the output limit of every current Claude model (Claude 4 models allow 32k to 128k), so it never
 * truncates an answer the model would have finished, and Anthropic bills the tokens used, not the limit.
 * With a thinking budget, the answer still gets this much beyond the budget.
 */
export const DEFAULT_MAX_TOKENS = 32_000;
const SERVER_TOOL_TYPE = /_\d{8}$/;

export interface EncodedAnthropicRequest {
  body: AnthropicRequest;
  /** Wire name → IR name, for tool names Anthropic would refuse (namespaced Responses tools). */
  toolNames: ToolNameMap;
}

/**
 * IR → upstream Messages body. Leading system and developer messages become `system`; later ones stay where
 * they are as `role: "system"` messages, as Claude Code 2.1 sends them. Consecutive items of one role merge
 * into one message (Anthropic wants user and assistant turns alternating), tool results go first in their
 * user message, and thinking is replayed only with the signature Anthropic issued for it.
 */
export function encodeAnthropicRequest(ir: IrRequest, warnings: WarningCollector): EncodedAnthropicRequest {
  const toolNames: ToolNameMap = new Map();
  // Tools first: what they record about a name (a freeform tool's calls are unwrapped) wins over history calls.
  const tools = encodeTools(ir.tools, toolNames, warnings);
  const { system, messages } = encodeConversation(ir.items, toolNames, warnings);
  const body: AnthropicRequest = { model: ir.model, max_tokens: maxTokens(ir), messages };
  if (system.length > 0) body.system = system;
  if (tools.length > 0) {
    body.tools = tools;
    const toolChoice = encodeToolChoice(ir.toolChoice, ir.parallelToolCalls, toolNames);
    if (toolChoice !== undefined) body.tool_choice = toolChoice;
  }
  if (ir.stream) body.stream = true;
  encodeSampling(ir, body, warnings);
  if (ir.stop !== undefined && ir.stop.length > 0) body.stop_sequences = ir.stop;
  encodeReasoning(ir, body);
  encodeResponseFormat(ir.responseFormat, body, warnings);
  if (ir.user !== undefined) body.metadata = { user_id: ir.user };
  if (ir.metadata !== undefined && Object.keys(ir.metadata).length > 0) {
    warnings.add('parameter_dropped', "metadata is not sent to an Anthropic upstream (it takes only 'user_id')");
  }
  // Fields an Anthropic client sent that the IR has no meaning for go back as they came.
  const carried = providerDataOf(ir, ANTHROPIC_ISSUER) ?? {};
  for (const [key, value] of Object.entries(carried)) {
    body[key] = key === 'output_config' && isJsonObject(value) ? { ...value, ...body.output_config } : value;
  }
  warnForeignProviderData(ir, ANTHROPIC_ISSUER, 'an Anthropic', warnings);
  return { body, toolNames };
}

function maxTokens(ir: IrRequest): number {
  const budget = ir.reasoning?.budgetTokens;
  if (ir.maxOutputTokens !== undefined) return budget !== undefined && ir.maxOutputTokens <= budget ? budget + 1 : ir.maxOutputTokens;
  return DEFAULT_MAX_TOKENS + (budget ?? 0);
}

/** Anthropic takes temperature 0 to 1, and none of temperature, top_k (or top_p below 0.95) with thinking on. */
function encodeSampling(ir: IrRequest, body: AnthropicRequest, warnings: WarningCollector): void {
  const thinking = ir.reasoning !== undefined;
  if (ir.temperature !== undefined) {
    if (thinking) warnings.add('parameter_dropped', 'temperature is not sent to Anthropic with thinking on');
    else if (ir.temperature > 1) {
      warnings.add('parameter_dropped', `temperature ${ir.temperature} lowered to 1, Anthropic's maximum`);
      body.temperature = 1;
    } else body.temperature = ir.temperature;
  }
  if (ir.topP !== undefined) {
    if (thinking && ir.topP < 0.95) warnings.add('parameter_dropped', 'top_p below 0.95 is not sent to Anthropic with thinking on');
    else body.top_p = ir.topP;
  }
  if (ir.topK !== undefined) {
    if (thinking) warnings.add('parameter_dropped', 'top_k is not sent to Anthropic with thinking on');
    else body.top_k = ir.topK;
  }
}

/** A fixed budget is `enabled` thinking; reasoning without one is `adaptive`, guided by `output_config.effort`. */
function encodeReasoning(ir: IrRequest, body: AnthropicRequest): void {
  const reasoning = ir.reasoning;
  if (reasoning === undefined) return;
  body.thinking = reasoning.budgetTokens !== undefined ? { type: 'enabled', budget_tokens: reasoning.budgetTokens } : { type: 'adaptive' };
  if (reasoning.effort !== undefined) body.output_config = { effort: reasoning.effort === 'minimal' ? 'low' : reasoning.effort };
}

/** A JSON schema (Chat's nested or Responses' flat shape) → `output_config.format`; `json_object` has no equivalent. */
function encodeResponseFormat(format: Record<string, unknown> | undefined, body: AnthropicRequest, warnings: WarningCollector): void {
  if (format === undefined || format.type === 'text') return;
  const schema = format.type === 'json_schema' ? (isJsonObject(format.json_schema) ? format.json_schema.schema : format.schema) : undefined;
  if (!isJsonObject(schema)) {
    warnings.add('parameter_dropped', `response format '${String(format.type)}' has no Anthropic equivalent`);
    return;
  }
  body.output_config = { ...body.output_config, format: { type: 'json_schema', schema } };
}

// ---------------------------------------------------------------- conversation

interface Conversation {
  system: AnthropicTextBlock[];
  messages: AnthropicMessage[];
}

function encodeConversation(items: IrItem[], toolNames: ToolNameMap, warnings: WarningCollector): Conversation {
  const conversation: Conversation = { system: [], messages: [] };
  const append = (role: 'user' | 'assistant', blocks: AnthropicContentBlock[]): void => {
    if (blocks.length === 0) return;
    const last = conversation.messages[conversation.messages.length - 1];
    if (last?.role !== role || !Array.isArray(last.content)) {
      conversation.messages.push({ role, content: [...blocks] });
      return;
    }
    // Tool results must open the user message that answers a tool_use: they go before the turn's other blocks.
    const content = last.content;
    if (blocks[0]?.type === 'tool_result') {
      const firstOther = content.findIndex((block) => block.type !== 'tool_result');
      content.splice(firstOther === -1 ? content.length : firstOther, 0, ...blocks);
    } else content.push(...blocks);
  };
  for (const item of items) {
    switch (item.kind) {
      case 'message':
        if (item.role === 'system' || item.role === 'developer') {
          const blocks = item.content.flatMap((part) => encodeSystemPart(part, warnings));
          if (conversation.messages.length === 0) conversation.system.push(...blocks);
          else if (blocks.length > 0)
            conversation.messages.push({ role: 'system', content: blocks.map((block) => block.text).join('\n\n') });
        } else {
          const role = item.role === 'assistant' ? 'assistant' : 'user';
          append(
            role,
            item.content.flatMap((part) => encodePart(part, role, warnings)),
          );
        }
        break;
      case 'reasoning':
        append('assistant', encodeReasoningItem(item, warnings));
        break;
      case 'tool_call':
        append('assistant', [
          {
            type: 'tool_use',
            id: item.callId,
            name: wireToolName(item.name, item.namespace, toolNames),
            // A freeform call's raw text goes back in the one string parameter its function form has.
            input:
              item.freeform === true ? JSON.parse(wrapFreeformInput(item.arguments)) : parseArguments(item.arguments, item.name, warnings),
            ...cacheControlOf(item),
          },
        ]);
        break;
      case 'tool_result':
        append('user', [encodeToolResult(item)]);
        break;
    }
  }
  return conversation;
}

function encodeSystemPart(part: IrContentPart, warnings: WarningCollector): AnthropicTextBlock[] {
  if (part.type === 'text') return [{ type: 'text', text: part.text, ...cacheControlOf(part) }];
  warnDropped(part, 'system', warnings);
  return [];
}

function encodePart(part: IrContentPart, role: 'user' | 'assistant', warnings: WarningCollector): AnthropicContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text, ...cacheControlOf(part) }];
    // Anthropic has no refusal block: a refusal is what the model said.
    case 'refusal':
      return [{ type: 'text', text: part.text }];
    case 'image':
      if (role === 'assistant') break;
      return [
        {
          type: 'image',
          source:
            part.source.type === 'base64'
              ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
              : { type: 'url', url: part.source.url },
          ...cacheControlOf(part),
        },
      ];
    case 'unsupported': {
      const block = passthroughBlockOf(part);
      if (block !== undefined) return [block as AnthropicContentBlock];
      break;
    }
  }
  warnDropped(part, role, warnings);
  return [];
}

/**
 * Anthropic verifies a thinking block by its signature, so only thinking it issued can be replayed
 * (`redacted_thinking` included); reasoning from another provider is dropped with a warning.
 */
function encodeReasoningItem(item: Extract<IrItem, { kind: 'reasoning' }>, warnings: WarningCollector): AnthropicContentBlock[] {
  const redactedData = anthropicString(item, 'redactedData');
  if (redactedData !== undefined) return [{ type: 'redacted_thinking', data: redactedData }];
  const signature = anthropicString(item, 'signature');
  if (signature !== undefined) return [{ type: 'thinking', thinking: item.text ?? (item.summary ?? []).join('\n\n'), signature }];
  warnings.add('content_dropped', 'reasoning without an Anthropic signature cannot be replayed to an Anthropic upstream');
  return [];
}

function encodeToolResult(item: IrToolResultItem): AnthropicContentBlock {
  const content: JsonObject[] = item.content.map((part) =>
    part.type === 'text'
      ? { type: 'text', text: part.text, ...cacheControlOf(part) }
      : {
          type: 'image',
          source:
            part.source.type === 'base64'
              ? { type: 'base64', media_type: part.source.mediaType, data: part.source.data }
              : { type: 'url', url: part.source.url },
        },
  );
  const others = anthropicValue(item, 'otherBlocks');
  if (Array.isArray(others)) content.push(...others.filter(isJsonObject));
  const single = content.length === 1 ? content[0] : undefined;
  return {
    type: 'tool_result',
    tool_use_id: item.callId,
    // A lone text part goes as a string, the form every Anthropic-compatible server accepts.
    content: single?.type === 'text' && single.cache_control === undefined ? String(single.text) : content,
    ...(item.isError === true ? { is_error: true } : {}),
    ...cacheControlOf(item),
  };
}

function parseArguments(text: string, name: string, warnings: WarningCollector): unknown {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) return parsed;
  } catch {
    // reported below
  }
  warnings.add('content_dropped', `arguments of a call to '${name}' are not a JSON object; sent as {}`);
  return {};
}

function warnDropped(part: IrContentPart, role: string, warnings: WarningCollector): void {
  const description = part.type === 'unsupported' ? part.description : `${part.type} part`;
  warnings.add('content_dropped', `${description} in a ${role} message cannot be sent to an Anthropic upstream`);
}

// ---------------------------------------------------------------- tools

function encodeTools(tools: IrTool[], toolNames: ToolNameMap, warnings: WarningCollector): (AnthropicTool | JsonObject)[] {
  const encoded: (AnthropicTool | JsonObject)[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      // Anthropic's server tools are versioned by date (`web_search_20250305`); other providers' built-ins are not.
      if (SERVER_TOOL_TYPE.test(tool.type)) encoded.push(tool.original);
      else warnings.add('tool_dropped', `built-in tool '${tool.type}' is not available through an Anthropic upstream`);
      continue;
    }
    if (tool.freeform !== undefined) {
      // Anthropic has no freeform tools: one string parameter carries the text (libs/ir freeform-tools.ts).
      encoded.push({
        name: wireToolName(tool.name, tool.namespace, toolNames, true),
        description: freeformFunctionDescription(tool),
        input_schema: freeformFunctionParameters(),
        ...cacheControlOf(tool),
      });
      continue;
    }
    encoded.push({
      name: wireToolName(tool.name, tool.namespace, toolNames),
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.parameters ?? { type: 'object', properties: {} },
      ...cacheControlOf(tool),
    });
  }
  return encoded;
}

/**
 * Anthropic tool names follow the same rule as Chat function names (^[a-zA-Z0-9_-]{1,64}$): same renaming,
 * remembered (with whether the tool is freeform) to map calls back. History calls never overwrite what the
 * tool list recorded.
 */
function wireToolName(name: string, namespace: string | undefined, toolNames: ToolNameMap, freeform = false): string {
  const wireName = chatFunctionName(name, namespace);
  if ((namespace !== undefined || wireName !== name || freeform) && !toolNames.has(wireName)) {
    toolNames.set(wireName, { name, ...(namespace === undefined ? {} : { namespace }), ...(freeform ? { freeform } : {}) });
  }
  return wireName;
}

function encodeToolChoice(
  choice: IrToolChoice | undefined,
  parallel: boolean | undefined,
  toolNames: ToolNameMap,
): AnthropicToolChoice | undefined {
  const disable = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.mode) {
    case undefined:
      return parallel === false ? { type: 'auto', ...disable } : undefined;
    case 'auto':
      return { type: 'auto', ...disable };
    case 'required':
      return { type: 'any', ...disable };
    case 'none':
      return { type: 'none' };
    case 'tool':
      return { type: 'tool', name: wireToolName(choice.name, choice.namespace, toolNames), ...disable };
  }
}
