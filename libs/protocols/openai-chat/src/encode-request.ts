import {
  chatFunctionName,
  flattenToolName,
  freeformFunctionDescription,
  freeformFunctionParameters,
  imageUrl,
  toolResultText,
  warnForeignProviderData,
  wrapFreeformInput,
} from '@gw/ir';
import type {
  IrContentPart,
  IrItem,
  IrMessageItem,
  IrRequest,
  IrTool,
  IrToolChoice,
  IrToolResultItem,
  ToolNameMap,
  WarningCollector,
} from '@gw/ir';
import type { ChatCompletionRequest, ChatContentPart, ChatFunctionTool, ChatMessage, ChatToolChoice } from './chat.schema';

type ChatAssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

export interface EncodedChatRequest {
  body: ChatCompletionRequest;
  /** Flattened wire name → IR name, to map the upstream's tool calls back. */
  toolNames: ToolNameMap;
}

/**
 * IR → upstream Chat Completions body, written for the widest set of OpenAI-compatible providers
 * (OpenAI, Azure, DeepSeek, OpenRouter, vLLM, ...). What Chat cannot express becomes a warning, never an error.
 */
export function encodeChatRequest(ir: IrRequest, warnings: WarningCollector): EncodedChatRequest {
  const toolNames: ToolNameMap = new Map();
  const tools = encodeTools(ir.tools, toolNames, warnings);
  const body: ChatCompletionRequest = { model: ir.model, messages: encodeMessages(ir.items, toolNames, warnings) };

  if (tools.length > 0) {
    body.tools = tools;
    const toolChoice = encodeToolChoice(ir.toolChoice, new Set(tools.map((tool) => tool.function.name)), warnings);
    if (toolChoice !== undefined) body.tool_choice = toolChoice;
    // OpenAI rejects parallel_tool_calls without tools, so it is only sent alongside them.
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  } else if (ir.toolChoice?.mode === 'required' || ir.toolChoice?.mode === 'tool') {
    warnings.add('parameter_dropped', `tool_choice '${describeToolChoice(ir.toolChoice)}' dropped: no tool can be sent upstream`);
  }

  if (ir.stream) {
    body.stream = true;
    // Always asked for, whatever the client wanted: the gateway logs usage for every request.
    body.stream_options = { include_usage: true };
  }
  // `max_tokens`, not `max_completion_tokens`: OpenAI still accepts it for non-reasoning models and
  // most compatible providers (DeepSeek, vLLM, older Azure API versions) know only `max_tokens`.
  if (ir.maxOutputTokens !== undefined) body.max_tokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.topK !== undefined) warnings.add('parameter_dropped', "'top_k' is not supported by Chat Completions");
  if (ir.reasoning?.budgetTokens !== undefined && ir.reasoning.effort === undefined) {
    warnings.add('parameter_dropped', 'a thinking budget in tokens has no Chat Completions field (reasoning_effort takes levels)');
  }
  if (ir.stop !== undefined && ir.stop.length > 0) body.stop = ir.stop;
  // `reasoning.summary` has no Chat equivalent and needs none: Chat upstreams return their reasoning as
  // plain text, which the client encoder presents as a summary. Not a loss worth a warning.
  if (ir.reasoning?.effort !== undefined) body.reasoning_effort = ir.reasoning.effort;
  if (ir.user !== undefined) body.user = ir.user;
  if (ir.responseFormat !== undefined) body.response_format = chatResponseFormat(ir.responseFormat);
  if (ir.metadata !== undefined && Object.keys(ir.metadata).length > 0) {
    // OpenAI answers 400 "The 'metadata' parameter is only allowed when 'store' is enabled", and the
    // gateway never asks upstreams to store completions.
    // @see https://github.com/tmc/langchaingo/issues/1484
    warnings.add('parameter_dropped', 'metadata is not sent to a Chat Completions upstream');
  }
  warnForeignProviderData(ir, 'openai-chat', 'a Chat Completions', warnings);
  // `promptCacheKey` is not sent either: it is only a caching hint (the gateway keeps it for traces) and
  // strict OpenAI-compatible servers reject unknown fields.
  return { body, toolNames };
}

function encodeTools(tools: IrTool[], toolNames: ToolNameMap, warnings: WarningCollector): ChatFunctionTool[] {
  const encoded: ChatFunctionTool[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      warnings.add('tool_dropped', `built-in tool '${tool.type}' is not available through a Chat Completions upstream`);
      continue;
    }
    const fn: ChatFunctionTool['function'] = { name: wireToolName(tool.name, tool.namespace, toolNames, tool.freeform !== undefined) };
    if (tool.freeform !== undefined) {
      // Chat has no freeform tools: one string parameter carries the text (libs/ir freeform-tools.ts).
      fn.description = freeformFunctionDescription(tool);
      fn.parameters = freeformFunctionParameters();
    } else {
      if (tool.description !== undefined) fn.description = tool.description;
      if (tool.parameters !== undefined) fn.parameters = tool.parameters;
      if (tool.strict !== undefined) fn.strict = tool.strict;
    }
    encoded.push({ type: 'function', function: fn });
  }
  return encoded;
}

/**
 * Chat function names have no namespaces and a length limit: rename, and remember how to map the name back
 * (and, for a freeform tool, that its calls' arguments are to be unwrapped). History calls never overwrite
 * what the tool list recorded.
 */
function wireToolName(name: string, namespace: string | undefined, toolNames: ToolNameMap, freeform = false): string {
  const wireName = chatFunctionName(name, namespace);
  if ((namespace !== undefined || wireName !== name || freeform) && !toolNames.has(wireName)) {
    toolNames.set(wireName, { name, ...(namespace === undefined ? {} : { namespace }), ...(freeform ? { freeform } : {}) });
  }
  return wireName;
}

function encodeToolChoice(
  toolChoice: IrToolChoice | undefined,
  wireToolNames: Set<string>,
  warnings: WarningCollector,
): ChatToolChoice | undefined {
  if (toolChoice === undefined) return undefined;
  if (toolChoice.mode !== 'tool') return toolChoice.mode;
  const wireName = chatFunctionName(toolChoice.name, toolChoice.namespace);
  if (wireToolNames.has(wireName)) return { type: 'function', function: { name: wireName } };
  warnings.add('parameter_dropped', `tool_choice '${wireName}' names a tool that is not sent upstream; using 'auto'`);
  return 'auto';
}

function describeToolChoice(toolChoice: IrToolChoice): string {
  return toolChoice.mode === 'tool' ? flattenToolName(toolChoice.name, toolChoice.namespace) : toolChoice.mode;
}

function encodeMessages(items: IrItem[], toolNames: ToolNameMap, warnings: WarningCollector): ChatMessage[] {
  const messages: ChatMessage[] = [];
  // Chat requires a turn's tool calls on the assistant message right before the tool messages, so
  // assistant messages and tool calls up to the next non-assistant item are merged into this one.
  let openAssistant: ChatAssistantMessage | undefined;
  for (const item of items) {
    switch (item.kind) {
      case 'reasoning':
        // Chat has no reasoning input (and DeepSeek rejects `reasoning_content` in input): expected, no warning.
        break;
      case 'message':
        if (item.role === 'assistant') {
          if (openAssistant === undefined) {
            openAssistant = { role: 'assistant', content: null };
            messages.push(openAssistant);
          }
          appendAssistantContent(openAssistant, item, warnings);
        } else {
          openAssistant = undefined;
          messages.push(encodeNonAssistantMessage(item, warnings));
        }
        break;
      case 'tool_call':
        if (openAssistant === undefined) {
          openAssistant = { role: 'assistant', content: null };
          messages.push(openAssistant);
        }
        (openAssistant.tool_calls ??= []).push({
          id: item.callId,
          type: 'function',
          function: {
            name: wireToolName(item.name, item.namespace, toolNames),
            arguments: item.freeform === true ? wrapFreeformInput(item.arguments) : item.arguments,
          },
        });
        break;
      case 'tool_result':
        openAssistant = undefined;
        messages.push(encodeToolResult(item, warnings));
        break;
    }
  }
  return messages;
}

function appendAssistantContent(target: ChatAssistantMessage, item: IrMessageItem, warnings: WarningCollector): void {
  let text = '';
  for (const part of item.content) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'refusal') target.refusal = (target.refusal ?? '') + part.text;
    else warnDropped(part, 'assistant', warnings);
  }
  if (text === '') return;
  target.content = target.content === null || target.content === '' ? text : `${target.content}\n\n${text}`;
}

/**
 * `developer` is sent as `system`: OpenAI treats them alike for Chat, while DeepSeek and other
 * OpenAI-compatible providers reject the `developer` role. Text-only content is sent as one string,
 * the form every compatible provider accepts; parts are joined with a blank line.
 */
function encodeNonAssistantMessage(item: IrMessageItem, warnings: WarningCollector): ChatMessage {
  const role = item.role === 'user' ? 'user' : 'system';
  const parts: ChatContentPart[] = [];
  for (const part of item.content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else if (part.type === 'image' && role === 'user') {
      const url = imageUrl(part.source);
      parts.push({ type: 'image_url', image_url: part.detail === undefined ? { url } : { url, detail: part.detail } });
    } else warnDropped(part, item.role, warnings);
  }
  const textOnly = parts.every((part) => part.type === 'text');
  if (role === 'system' || textOnly) {
    const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('\n\n');
    return { role, content: text };
  }
  return { role: 'user', content: parts };
}

function warnDropped(part: IrContentPart, role: string, warnings: WarningCollector): void {
  const description = part.type === 'unsupported' ? part.description : `${part.type} part`;
  warnings.add('content_dropped', `${description} in a ${role} message cannot be sent to a Chat Completions upstream`);
}

/**
 * Chat tool messages hold text only: images in a tool result are dropped with a warning, and the error flag
 * (Anthropic `is_error`) has no field, the result's text being what tells the model the tool failed.
 */
function encodeToolResult(item: IrToolResultItem, warnings: WarningCollector): ChatMessage {
  const images = item.content.filter((part) => part.type === 'image').length;
  if (images > 0) warnings.add('content_dropped', `${images} image(s) in a tool result cannot be sent to a Chat Completions upstream`);
  return { role: 'tool', tool_call_id: item.callId, content: toolResultText(item) };
}

/**
 * `responseFormat` is carried as the client protocol gave it: Responses flattens the schema into `text.format`
 * (`{type:'json_schema', name, schema, strict}`), Chat nests it under `json_schema`, and a Chat upstream
 * refuses the flat shape (400 "Missing required parameter: 'response_format.json_schema'").
 */
function chatResponseFormat(format: Record<string, unknown>): Record<string, unknown> {
  if (format.type !== 'json_schema' || format.json_schema !== undefined) return format;
  const { type, ...schema } = format;
  return { type, json_schema: schema };
}
