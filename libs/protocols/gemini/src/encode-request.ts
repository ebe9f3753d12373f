import {
  chatFunctionName,
  freeformFunctionDescription,
  freeformFunctionParameters,
  isJsonObject,
  providerDataOf,
  toolResultText,
  warnForeignProviderData,
  type IrContentPart,
  type IrImageSource,
  type IrItem,
  type IrReasoningEffort,
  type IrRequest,
  type IrTool,
  type IrToolResultItem,
  type ToolNameMap,
  type WarningCollector,
  wrapFreeformInput,
} from '@gw/ir';
import type {
  GeminiContent,
  GeminiFunctionDeclaration,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiRequest,
  JsonObject,
} from './gemini.schema';
import { geminiSchema, warnDroppedKeywords } from './json-schema';
import { GEMINI_ISSUER, geminiString, passthroughPartOf, SKIP_SIGNATURE_VALIDATION } from './provider-data';

/** Gemini takes at most five stop sequences. */
const MAX_STOP_SEQUENCES = 5;
/**
 * Effort → `thinkingBudget` for models before Gemini 3 (2.5 Pro thinks at least 128 tokens, Flash up to 24,576):
 * the budgets Google's OpenAI-compatible endpoint uses for `reasoning_effort` low/medium/high.
 * @see https://ai.google.dev/gemini-api/docs/openai#thinking
 */
const EFFORT_BUDGETS: Record<IrReasoningEffort, number> = { minimal: 512, low: 1024, medium: 8192, high: 24_576 };
/** Gemini 3 takes `thinkingLevel` instead; Pro knows `low` and `high` only. */
const EFFORT_LEVELS: Record<IrReasoningEffort, string> = { minimal: 'low', low: 'low', medium: 'high', high: 'high' };
const GEMINI_3 = /gemini-3/;
/** Models that predate thought signatures on calls (1.x, 2.0, 2.5): they get no stand-in (aliases and newer models do). */
const BEFORE_SIGNATURES = /gemini-(1|2)\./;

export interface EncodedGeminiRequest {
  /** The body; the model and whether to stream go in the URL (`models/{model}:streamGenerateContent?alt=sse`). */
  body: GeminiRequest;
  /** Wire name → IR name, for tool names Gemini would refuse (namespaced Responses tools). */
  toolNames: ToolNameMap;
}

/**
 * IR → upstream `generateContent` body. System and developer messages, wherever they stand, go into
 * `systemInstruction` (Gemini has no system turn); consecutive items of one role merge into one `contents[]`
 * entry (`user` or `model`); tool results are `functionResponse` parts named after their call, found in the
 * history by call id (Gemini pairs calls and responses by name and order, not by id).
 */
export function encodeGeminiRequest(ir: IrRequest, warnings: WarningCollector): EncodedGeminiRequest {
  const toolNames: ToolNameMap = new Map();
  const { system, contents } = encodeConversation(ir.items, toolNames, warnings);
  if (!BEFORE_SIGNATURES.test(ir.model)) signForeignCalls(contents);
  const body: GeminiRequest = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  const dropped = new Set<string>();
  const tools = encodeTools(ir.tools, toolNames, dropped, warnings);
  if (tools.length > 0) body.tools = tools;
  const carried = providerDataOf(ir, GEMINI_ISSUER) ?? {};
  const toolConfig = encodeToolConfig(ir, warnings);
  if (toolConfig !== undefined && tools.length > 0) body.toolConfig = toolConfig;
  // A Gemini client's generationConfig members with no IR meaning (seed, penalties, modalities) under what the IR says.
  const generationConfig = {
    ...(isJsonObject(carried.generationConfig) ? carried.generationConfig : {}),
    ...encodeGenerationConfig(ir, dropped, warnings),
  };
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  warnDroppedKeywords(dropped, 'tool parameters and response schema', warnings);
  if (ir.parallelToolCalls === false)
    warnings.add('parameter_dropped', 'Gemini cannot be told to make one tool call at a time (parallel_tool_calls: false)');
  if (ir.user !== undefined) warnings.add('parameter_dropped', 'user is not sent to a Gemini upstream (it has no such field)');
  if (ir.metadata !== undefined && Object.keys(ir.metadata).length > 0)
    warnings.add('parameter_dropped', 'metadata is not sent to a Gemini upstream');
  // Fields a Gemini client sent that the IR has no meaning for go back as they came.
  for (const [key, value] of Object.entries(carried)) if (key !== 'generationConfig' && body[key] === undefined) body[key] = value;
  warnForeignProviderData(ir, GEMINI_ISSUER, 'a Gemini', warnings);
  return { body, toolNames };
}

// ---------------------------------------------------------------- conversation

function encodeConversation(
  items: IrItem[],
  toolNames: ToolNameMap,
  warnings: WarningCollector,
): { system: GeminiPart[]; contents: GeminiContent[] } {
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  for (const item of items)
    if (item.kind === 'tool_call') callNames.set(item.callId, wireToolName(item.name, item.namespace, toolNames, item.freeform === true));
  const append = (role: 'user' | 'model', parts: GeminiPart[]): void => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts: [...parts] });
  };
  for (const item of items) {
    switch (item.kind) {
      case 'message':
        if (item.role === 'system' || item.role === 'developer') {
          for (const part of item.content) {
            if (part.type === 'text') system.push({ text: part.text });
            else warnDropped(part, 'system', warnings);
          }
        } else {
          const role = item.role === 'assistant' ? 'model' : 'user';
          append(
            role,
            item.content.flatMap((part) => encodePart(part, role, warnings)),
          );
        }
        break;
      case 'reasoning':
        append('model', encodeReasoning(item, warnings));
        break;
      case 'tool_call': {
        const functionCall: GeminiPart['functionCall'] = {
          name: callNames.get(item.callId) ?? wireToolName(item.name, item.namespace, toolNames),
          // A freeform call's raw text goes back as the one string parameter its function form has.
          args: parseArguments(item.freeform === true ? wrapFreeformInput(item.arguments) : item.arguments, item.name, warnings),
        };
        const id = geminiString(item, 'id');
        if (id !== undefined) functionCall.id = id;
        const signature = geminiString(item, 'thoughtSignature');
        append('model', [{ functionCall, ...(signature === undefined ? {} : { thoughtSignature: signature }) }]);
        break;
      }
      case 'tool_result':
        append('user', encodeToolResult(item, callNames, warnings));
        break;
    }
  }
  return { system, contents };
}

/**
 * Gemini 3 refuses a model turn whose first function call has no thought signature (calls another provider
 * made, or whose signature a client could not carry). Such a call gets the value Google documents for
 * history it did not produce; later calls of the same turn need none. Older models (`gemini-1.x`, `2.x`)
 * never required one and are sent none.
 */
function signForeignCalls(contents: GeminiContent[]): void {
  for (const content of contents) {
    if (content.role !== 'model') continue;
    const first = content.parts.find((part) => part.functionCall !== undefined);
    if (first !== undefined && first.thoughtSignature === undefined) first.thoughtSignature = SKIP_SIGNATURE_VALIDATION;
  }
}

function encodePart(part: IrContentPart, role: 'user' | 'model', warnings: WarningCollector): GeminiPart[] {
  switch (part.type) {
    case 'text': {
      const signature = geminiString(part, 'thoughtSignature');
      if (part.text === '' && signature === undefined) return [];
      return [{ text: part.text, ...(signature === undefined ? {} : { thoughtSignature: signature }) }];
    }
    // Gemini has no refusal part: a refusal is what the model said.
    case 'refusal':
      return [{ text: part.text }];
    case 'image':
      return [imagePart(part.source)];
    case 'unsupported': {
      const original = passthroughPartOf(part.original);
      if (original !== undefined) return [original];
      break;
    }
  }
  warnDropped(part, role === 'model' ? 'model' : 'user', warnings);
  return [];
}

const EXTENSION_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
};

/** Inline images as `inlineData`; images by URL as `fileData` (Gemini wants a MIME type: named, else read from the extension, else JPEG). */
function imagePart(source: IrImageSource): GeminiPart {
  if (source.type === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const extension = /\.([a-z]+)(?:[?#]|$)/i.exec(source.url)?.[1]?.toLowerCase();
  const mimeType = source.mediaType ?? (extension === undefined ? undefined : EXTENSION_TYPES[extension]) ?? 'image/jpeg';
  return { fileData: { mimeType, fileUri: source.url } };
}

/**
 * Gemini replays a thought only with the signature it issued: a thought summary as a `thought` part, a
 * signature alone as the empty text part Gemini sent it in. Other reasoning is dropped with a warning.
 */
function encodeReasoning(item: Extract<IrItem, { kind: 'reasoning' }>, warnings: WarningCollector): GeminiPart[] {
  const signature = geminiString(item, 'thoughtSignature');
  const text = item.text ?? (item.summary ?? []).join('\n\n');
  if (signature === undefined) {
    warnings.add('content_dropped', 'reasoning without a Gemini thought signature cannot be replayed to a Gemini upstream');
    return [];
  }
  return text === '' ? [{ text: '', thoughtSignature: signature }] : [{ text, thought: true, thoughtSignature: signature }];
}

/**
 * A tool result → a `functionResponse` named after its call. Its text goes in as `response` when it is a JSON
 * object (what a Gemini client sent), else as `{"output": text}` (Google's convention; `{"error": text}` for a
 * failed tool); images follow as the response's own `inlineData` parts.
 */
function encodeToolResult(item: IrToolResultItem, callNames: Map<string, string>, warnings: WarningCollector): GeminiPart[] {
  const name = callNames.get(item.callId);
  if (name === undefined) {
    warnings.add('content_dropped', `tool result for call '${item.callId}' has no matching call in the conversation; sent as text`);
    return [{ text: toolResultText(item) }];
  }
  const text = toolResultText(item);
  let response: JsonObject = item.isError === true ? { error: text } : { output: text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (isJsonObject(parsed)) response = parsed;
  } catch {
    // not JSON: sent as output (or error) text
  }
  const functionResponse: GeminiPart['functionResponse'] & { parts?: GeminiPart[] } = { name, response };
  const id = geminiString(item, 'id');
  if (id !== undefined) functionResponse.id = id;
  const images = item.content.flatMap((part) => (part.type === 'image' ? [imagePart(part.source)] : []));
  if (images.length > 0) functionResponse.parts = images;
  return [{ functionResponse }];
}

function parseArguments(text: string, name: string, warnings: WarningCollector): JsonObject {
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
  warnings.add('content_dropped', `${description} in a ${role} message cannot be sent to a Gemini upstream`);
}

// ---------------------------------------------------------------- tools

/** Functions in one `functionDeclarations` entry; Gemini's own builtins (`gemini.googleSearch`, ...) as given; others dropped. */
function encodeTools(tools: IrTool[], toolNames: ToolNameMap, dropped: Set<string>, warnings: WarningCollector): JsonObject[] {
  const declarations: GeminiFunctionDeclaration[] = [];
  const builtins: JsonObject[] = [];
  for (const tool of tools) {
    if (tool.kind === 'builtin') {
      if (tool.type.startsWith('gemini.')) builtins.push(tool.original);
      else warnings.add('tool_dropped', `built-in tool '${tool.type}' is not available through a Gemini upstream`);
      continue;
    }
    const freeform = tool.freeform !== undefined;
    const declaration: GeminiFunctionDeclaration = { name: wireToolName(tool.name, tool.namespace, toolNames, freeform) };
    // Gemini has no freeform tools: one string parameter carries the text (libs/ir freeform-tools.ts).
    const description = freeform ? freeformFunctionDescription(tool) : tool.description;
    if (description !== undefined && description !== '') declaration.description = description;
    // A tool without properties takes no arguments: Gemini refuses an object schema with empty properties.
    const schema = freeform ? freeformFunctionParameters() : tool.parameters;
    // The freeform schema's own `additionalProperties: false` is not the client's to be warned about.
    const parameters = schema === undefined ? undefined : geminiSchema(schema, freeform ? new Set() : dropped);
    if (parameters !== undefined && !(parameters.type === 'object' && parameters.properties === undefined))
      declaration.parameters = parameters;
    declarations.push(declaration);
  }
  return declarations.length === 0 ? builtins : [{ functionDeclarations: declarations }, ...builtins];
}

/**
 * Gemini function names allow letters, digits, `_`, `.`, `:` and `-`, up to 64 characters: the Chat rule is
 * stricter, and shared. The map says how to read a call back: its IR name, and for a freeform tool that its
 * arguments are to be unwrapped. The tools are encoded after the history: what they say wins.
 */
function wireToolName(name: string, namespace: string | undefined, toolNames: ToolNameMap, freeform = false): string {
  const wireName = chatFunctionName(name, namespace);
  if (namespace !== undefined || wireName !== name || freeform) {
    toolNames.set(wireName, { name, ...(namespace === undefined ? {} : { namespace }), ...(freeform ? { freeform } : {}) });
  }
  return wireName;
}

function encodeToolConfig(ir: IrRequest, warnings: WarningCollector): GeminiRequest['toolConfig'] {
  const carried = providerDataOf(ir, GEMINI_ISSUER)?.toolConfig;
  // A Gemini client's own config (several allowed names) goes back as it came.
  if (isJsonObject(carried)) return carried as GeminiRequest['toolConfig'];
  const choice = ir.toolChoice;
  switch (choice?.mode) {
    case undefined:
      return undefined;
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'tool':
      if (!ir.tools.some((tool) => tool.kind === 'function' && tool.name === choice.name && tool.namespace === choice.namespace)) {
        warnings.add('parameter_dropped', `tool_choice names '${choice.name}', which is not among the tools`);
      }
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [chatFunctionName(choice.name, choice.namespace)] } };
  }
}

// ---------------------------------------------------------------- generation config

function encodeGenerationConfig(ir: IrRequest, dropped: Set<string>, warnings: WarningCollector): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  if (ir.maxOutputTokens !== undefined) config.maxOutputTokens = ir.maxOutputTokens;
  if (ir.temperature !== undefined) config.temperature = ir.temperature;
  if (ir.topP !== undefined) config.topP = ir.topP;
  if (ir.topK !== undefined) config.topK = ir.topK;
  if (ir.stop !== undefined && ir.stop.length > 0) {
    if (ir.stop.length > MAX_STOP_SEQUENCES)
      warnings.add('parameter_dropped', `Gemini takes ${MAX_STOP_SEQUENCES} stop sequences; the rest were dropped`);
    config.stopSequences = ir.stop.slice(0, MAX_STOP_SEQUENCES);
  }
  encodeResponseFormat(ir.responseFormat, config, dropped, warnings);
  const reasoning = ir.reasoning;
  if (reasoning !== undefined) {
    // Reasoning asked for is reasoning shown: Gemini sends thought summaries only when asked to.
    const thinking: NonNullable<GeminiGenerationConfig['thinkingConfig']> = { includeThoughts: true };
    if (reasoning.budgetTokens !== undefined) thinking.thinkingBudget = reasoning.budgetTokens;
    else if (reasoning.effort !== undefined) {
      if (GEMINI_3.test(ir.model)) thinking.thinkingLevel = EFFORT_LEVELS[reasoning.effort];
      else thinking.thinkingBudget = EFFORT_BUDGETS[reasoning.effort];
    }
    config.thinkingConfig = thinking;
  }
  return config;
}

/** A JSON schema (Chat's nested or Responses' flat shape) → `responseSchema`; `json_object` → JSON without a schema. */
function encodeResponseFormat(
  format: Record<string, unknown> | undefined,
  config: GeminiGenerationConfig,
  dropped: Set<string>,
  warnings: WarningCollector,
): void {
  if (format === undefined || format.type === 'text') return;
  if (format.type === 'json_object') {
    config.responseMimeType = 'application/json';
    return;
  }
  const schema = format.type === 'json_schema' ? (isJsonObject(format.json_schema) ? format.json_schema.schema : format.schema) : undefined;
  if (!isJsonObject(schema)) {
    warnings.add('parameter_dropped', `response format '${String(format.type)}' has no Gemini equivalent`);
    return;
  }
  config.responseMimeType = 'application/json';
  config.responseSchema = geminiSchema(schema, dropped);
}
