import { imageUrl, toolResultText, warnForeignProviderData } from '@gw/ir';
import type { IrContentPart, IrItem, IrMessageItem, IrRequest, IrTool, IrToolChoice, IrToolResultItem, WarningCollector } from '@gw/ir';
import { RESPONSES_ISSUER, encryptedContentOf } from './provider-data';
import { passthroughOriginal, passthroughPartOriginal } from './decode-input-items';
import { isJsonObject } from '@gw/ir';
import type {
  JsonObject,
  ResponsesFunctionTool,
  ResponsesInputContentPart,
  ResponsesInputItem,
  ResponsesNamespaceTool,
  ResponsesRequest,
  ResponsesTool,
  ResponsesToolChoice,
} from './responses.schema';

/**
 * IR → upstream Responses body (a Chat/Anthropic client, or a Responses client, served by a Responses
 * channel). System and developer messages stay input messages with their role: lossless and what Codex
 * itself sends. `store: false` always: the gateway keeps conversations client-side.
 */
export function encodeResponsesRequest(ir: IrRequest, warnings: WarningCollector): { body: ResponsesRequest } {
  const body: ResponsesRequest = {
    model: ir.model,
    input: encodeItems(ir.items, warnings),
    stream: ir.stream,
    store: false,
  };
  if (ir.tools.length > 0) body.tools = encodeTools(ir.tools, warnings);
  if (ir.toolChoice !== undefined) body.tool_choice = encodeToolChoice(ir.toolChoice);
  if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  if (ir.maxOutputTokens !== undefined) body.max_output_tokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.stop !== undefined && ir.stop.length > 0)
    warnings.add('parameter_dropped', "'stop' sequences are not supported by the Responses API");
  if (ir.reasoning !== undefined) {
    const { budgetTokens, ...reasoning } = ir.reasoning;
    if (budgetTokens !== undefined && reasoning.effort === undefined) {
      warnings.add('parameter_dropped', 'a thinking budget in tokens has no Responses field (reasoning.effort takes levels)');
    }
    body.reasoning = reasoning;
    // With store:false the reasoning state only survives the turn as encrypted content handed to the client.
    body.include = ['reasoning.encrypted_content'];
  }
  if (ir.topK !== undefined) warnings.add('parameter_dropped', "'top_k' is not supported by the Responses API");
  warnForeignProviderData(ir, RESPONSES_ISSUER, 'a Responses', warnings);
  if (ir.user !== undefined) body.user = ir.user;
  if (ir.metadata !== undefined) body.metadata = ir.metadata;
  if (ir.promptCacheKey !== undefined) body.prompt_cache_key = ir.promptCacheKey;
  if (ir.responseFormat !== undefined) body.text = { format: encodeTextFormat(ir.responseFormat) };
  return { body };
}

// ---------------------------------------------------------------- items

/**
 * Client ids are forwarded only when they have the prefix OpenAI validates for that item type (`msg_`, `fc_`,
 * `fco_`, `rs_`); ids minted by another protocol would be rejected, and the id is optional anyway.
 */
function idWithPrefix(id: string | undefined, prefix: string): { id?: string } {
  return id !== undefined && id.startsWith(prefix) ? { id } : {};
}

/** A freeform call's result goes back as `custom_tool_call_output`: the call ids tell which results those are. */
function encodeItems(items: IrItem[], warnings: WarningCollector): ResponsesInputItem[] {
  const freeformCallIds = new Set(items.flatMap((item) => (item.kind === 'tool_call' && item.freeform === true ? [item.callId] : [])));
  return items.flatMap((item) => encodeItem(item, warnings, freeformCallIds));
}

function encodeItem(item: IrItem, warnings: WarningCollector, freeformCallIds: ReadonlySet<string>): ResponsesInputItem[] {
  switch (item.kind) {
    case 'message': {
      const passthrough = passthroughOriginal(item);
      if (passthrough !== undefined) return [{ ...passthrough, type: String(passthrough.type) }];
      return encodeMessage(item, warnings);
    }
    case 'tool_call':
      if (item.freeform === true) {
        return [
          {
            type: 'custom_tool_call',
            ...idWithPrefix(item.id, 'ctc_'),
            call_id: item.callId,
            name: item.name,
            ...(item.namespace === undefined ? {} : { namespace: item.namespace }),
            input: item.arguments,
          },
        ];
      }
      return [
        {
          type: 'function_call',
          ...idWithPrefix(item.id, 'fc_'),
          call_id: item.callId,
          name: item.name,
          ...(item.namespace === undefined ? {} : { namespace: item.namespace }),
          arguments: item.arguments,
        },
      ];
    case 'tool_result':
      if (freeformCallIds.has(item.callId)) {
        return [{ type: 'custom_tool_call_output', call_id: item.callId, output: encodeToolOutput(item) }];
      }
      return [{ type: 'function_call_output', ...idWithPrefix(item.id, 'fco_'), call_id: item.callId, output: encodeToolOutput(item) }];
    case 'reasoning': {
      // OpenAI only accepts reasoning it produced (encrypted_content); other providers' thinking cannot be replayed.
      const encryptedContent = encryptedContentOf(item);
      if (encryptedContent === undefined) {
        warnings.add('content_dropped', 'reasoning without encrypted_content cannot be sent to a Responses upstream');
        return [];
      }
      return [
        {
          type: 'reasoning',
          ...idWithPrefix(item.id, 'rs_'),
          summary: (item.summary ?? []).map((text) => ({ type: 'summary_text', text })),
          encrypted_content: encryptedContent,
        },
      ];
    }
  }
}

function encodeMessage(item: IrMessageItem, warnings: WarningCollector): ResponsesInputItem[] {
  const content = item.content.flatMap((part) => encodeContentPart(part, item.role === 'assistant', warnings));
  if (content.length === 0) return [];
  return [{ type: 'message', ...idWithPrefix(item.id, 'msg_'), role: item.role, content }];
}

function encodeContentPart(part: IrContentPart, fromAssistant: boolean, warnings: WarningCollector): ResponsesInputContentPart[] {
  switch (part.type) {
    case 'text':
      // Assistant turns are model output (`output_text`); everything else is input.
      return [fromAssistant ? { type: 'output_text', text: part.text } : { type: 'input_text', text: part.text }];
    case 'refusal':
      return [{ type: 'refusal', refusal: part.text }];
    case 'image':
      return [{ type: 'input_image', image_url: imageUrl(part.source), ...(part.detail === undefined ? {} : { detail: part.detail }) }];
    case 'unsupported': {
      const original = passthroughPartOriginal(part);
      if (original !== undefined) return [original as unknown as ResponsesInputContentPart];
      warnings.add('content_dropped', `${part.description} cannot be sent to a Responses upstream`);
      return [];
    }
  }
}

/**
 * A text-only result stays a string (what every Responses server accepts); with images it is the part
 * array `function_call_output` also takes. The error flag has no field: the text says the tool failed.
 */
function encodeToolOutput(item: IrToolResultItem): string | ResponsesInputContentPart[] {
  if (item.content.every((part) => part.type === 'text')) return toolResultText(item);
  return item.content.map((part): ResponsesInputContentPart =>
    part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', image_url: imageUrl(part.source) },
  );
}

// ---------------------------------------------------------------- tools

/**
 * Namespaced IR tools are regrouped into one `namespace` tool per namespace, at the position of its first
 * member; a builtin `namespace` tool (non-function members, see decode-tools.ts) merges into the same group.
 */
function encodeTools(tools: IrTool[], warnings: WarningCollector): ResponsesTool[] {
  const encoded: ResponsesTool[] = [];
  const namespaces = new Map<string, ResponsesNamespaceTool>();
  const namespaceTool = (name: string): ResponsesNamespaceTool => {
    let group = namespaces.get(name);
    if (group === undefined) {
      // NamespaceTool.description is required by the API; the IR keeps only the members' descriptions.
      group = { type: 'namespace', name, description: `Tools in the ${name} namespace.`, tools: [] };
      namespaces.set(name, group);
      encoded.push(group);
    }
    return group;
  };
  for (const tool of tools) {
    if (tool.kind === 'function' && tool.freeform !== undefined) {
      const customTool: JsonObject = {
        type: 'custom',
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        ...(tool.freeform.format === undefined ? {} : { format: tool.freeform.format }),
      };
      if (tool.namespace === undefined) encoded.push(customTool);
      else namespaceTool(tool.namespace).tools.push(customTool);
    } else if (tool.kind === 'function') {
      const encodedTool: ResponsesFunctionTool = {
        type: 'function',
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.parameters ?? { type: 'object', properties: {} },
        // Responses defaults `strict` to true, Chat to false: an unset IR value keeps the lenient meaning.
        strict: tool.strict ?? false,
      };
      if (tool.namespace === undefined) encoded.push(encodedTool);
      else namespaceTool(tool.namespace).tools.push(encodedTool);
    } else if (tool.type === 'namespace' && typeof tool.original.name === 'string' && Array.isArray(tool.original.tools)) {
      const group = namespaceTool(tool.original.name);
      if (typeof tool.original.description === 'string') group.description = tool.original.description;
      group.tools.push(...(tool.original.tools as ResponsesFunctionTool[]));
    } else if (ANTHROPIC_SERVER_TOOL.test(tool.type)) {
      warnings.add('tool_dropped', `built-in tool '${tool.type}' is Anthropic's and not available through a Responses upstream`);
    } else {
      encoded.push(tool.original);
    }
  }
  return encoded;
}

/** Anthropic's server tools are versioned by date (`web_search_20250305`, `bash_20250124`); OpenAI's are not. */
const ANTHROPIC_SERVER_TOOL = /_\d{8}$/;

function encodeToolChoice(choice: IrToolChoice): ResponsesToolChoice {
  // The Responses tool_choice has no namespace field: the inner name is what the model calls.
  return choice.mode === 'tool' ? { type: 'function', name: choice.name } : choice.mode;
}

/**
 * `responseFormat` is carried as the client protocol gave it: Chat nests the schema
 * (`{type:'json_schema', json_schema:{name, schema, strict}}`), Responses flattens it into `text.format`.
 */
function encodeTextFormat(format: JsonObject): JsonObject {
  if (format.type === 'json_schema' && isJsonObject(format.json_schema)) return { type: 'json_schema', ...format.json_schema };
  return format;
}
