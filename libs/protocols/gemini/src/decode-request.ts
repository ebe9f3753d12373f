import {
  invalidRequest,
  isJsonObject,
  optionalArray,
  optionalBoolean,
  optionalNumberInRange,
  optionalObject,
  optionalPositiveInteger,
  optionalString,
  requiredString,
  type IrItem,
  type IrReasoningEffort,
  type IrRequest,
  type IrTool,
  type IrToolChoice,
  type WarningCollector,
} from '@gw/ir';
import { CallIds, decodeContent } from './decode-content';
import { field, geminiData } from './provider-data';

/** Top-level request fields Gemini documents and the IR has no meaning for: carried for a Gemini upstream. */
const CARRIED_FIELDS = new Set(['safetySettings', 'cachedContent', 'labels', 'serviceTier', 'store']);
/** `generationConfig` members read into the IR; Gemini's other members ride in `providerData.gemini.generationConfig`. */
const READ_GENERATION_FIELDS = new Set([
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
]);

/** Gemini 3's `thinkingLevel` → IR effort. */
const LEVELS: Record<string, IrReasoningEffort> = { minimal: 'minimal', low: 'low', medium: 'medium', high: 'high' };

export interface GeminiRequestOptions {
  /** From the URL path (`/v1beta/models/{model}:generateContent`): Gemini bodies carry no model. */
  model: string;
  /** `:streamGenerateContent` rather than `:generateContent`. */
  stream: boolean;
}

/**
 * Client `generateContent` / `streamGenerateContent` body → IR, validated strictly enough for a 400 naming the
 * field. Documented fields with no IR meaning (`safetySettings`, `cachedContent`, `generationConfig.seed`,
 * penalties, modalities, ...) and `functionCallingConfig.allowedFunctionNames` beyond one name ride in
 * `providerData.gemini`: a Gemini upstream gets them back, other encoders warn that they were dropped. Fields
 * Gemini itself does not know are dropped with a warning (Gemini would refuse them).
 */
export function decodeGeminiRequest(body: unknown, options: GeminiRequestOptions, warnings?: WarningCollector): IrRequest {
  if (!isJsonObject(body)) throw invalidRequest('The request body must be a JSON object', 'body');
  const ids = new CallIds();
  const items: IrItem[] = [...decodeSystemInstruction(field(body, 'systemInstruction'))];
  const contents = optionalArray(body.contents, 'contents');
  if (contents === undefined || contents.length === 0) throw invalidRequest("'contents' must be a non-empty array", 'contents');
  contents.forEach((content, index) => items.push(...decodeContent(content, `contents[${index}]`, ids)));

  const request: IrRequest = {
    model: requiredString(options.model, 'model'),
    items,
    tools: decodeTools(body.tools),
    stream: options.stream,
  };
  // Gemini streams carry usage in every chunk.
  if (options.stream) request.includeUsageInStream = true;
  const carried: Record<string, unknown> = {};
  const toolChoice = decodeToolConfig(field(body, 'toolConfig'), carried);
  if (toolChoice !== undefined) request.toolChoice = toolChoice;
  decodeGenerationConfig(optionalObject(field(body, 'generationConfig'), 'generationConfig'), request, carried);

  for (const [key, value] of Object.entries(body)) {
    const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model'].includes(camel) || value === undefined)
      continue;
    if (CARRIED_FIELDS.has(camel)) carried[camel] = value;
    else warnings?.add('parameter_dropped', `'${key}' is not a Gemini request field; dropped`);
  }
  const providerData = geminiData(carried).providerData;
  if (providerData !== undefined) request.providerData = providerData;
  return request;
}

function decodeSystemInstruction(value: unknown): IrItem[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value === '' ? [] : [{ kind: 'message', role: 'system', content: [{ type: 'text', text: value }] }];
  if (!isJsonObject(value)) throw invalidRequest("'systemInstruction' must be a content object", 'systemInstruction');
  const parts = optionalArray(value.parts, 'systemInstruction.parts') ?? [];
  const content = parts.map((part: unknown, index) => {
    const param = `systemInstruction.parts[${index}]`;
    if (!isJsonObject(part) || typeof part.text !== 'string') throw invalidRequest(`'${param}' must be a text part`, param);
    return { type: 'text' as const, text: part.text };
  });
  return content.length === 0 ? [] : [{ kind: 'message', role: 'system', content }];
}

/**
 * `functionDeclarations` (schema in `parameters`, OpenAPI style, or `parametersJsonSchema`) are functions;
 * every other tool entry (`googleSearch`, `codeExecution`, `urlContext`, ...) is a builtin of type
 * `gemini.<name>`, carried as given: only a Gemini upstream runs it.
 */
function decodeTools(value: unknown): IrTool[] {
  const tools: IrTool[] = [];
  (optionalArray(value, 'tools') ?? []).forEach((tool: unknown, index) => {
    const param = `tools[${index}]`;
    if (!isJsonObject(tool)) throw invalidRequest(`'${param}' must be an object`, param);
    for (const [key, entry] of Object.entries(tool)) {
      if (key !== 'functionDeclarations' && key !== 'function_declarations') {
        tools.push({ kind: 'builtin', type: `gemini.${key}`, original: { [key]: entry } });
        continue;
      }
      (optionalArray(entry, `${param}.functionDeclarations`) ?? []).forEach((declaration: unknown, inner) => {
        const declParam = `${param}.functionDeclarations[${inner}]`;
        if (!isJsonObject(declaration)) throw invalidRequest(`'${declParam}' must be an object`, declParam);
        const description = optionalString(declaration.description, `${declParam}.description`);
        const parameters =
          optionalObject(field(declaration, 'parametersJsonSchema'), `${declParam}.parametersJsonSchema`) ??
          optionalObject(declaration.parameters, `${declParam}.parameters`);
        tools.push({
          kind: 'function',
          name: requiredString(declaration.name, `${declParam}.name`),
          ...(description === undefined ? {} : { description }),
          ...(parameters === undefined ? {} : { parameters: lowerCaseTypes(parameters) }),
        });
      });
    }
  });
  return tools;
}

/** Gemini's OpenAPI-style schemas may spell types in upper case (`OBJECT`, `STRING`); JSON Schema wants lower case. */
function lowerCaseTypes(schema: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((entry) => convert(entry));
    if (!isJsonObject(value)) return key === 'type' && typeof value === 'string' ? value.toLowerCase() : value;
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, key === 'properties' ? convert(inner) : convert(inner, name)]),
    );
  };
  return convert(schema) as Record<string, unknown>;
}

/**
 * `functionCallingConfig.mode`: AUTO → auto, ANY → required (one allowed name: that tool), NONE → none,
 * VALIDATED → auto. Allowed names the IR cannot say (several) are carried for a Gemini upstream.
 */
function decodeToolConfig(value: unknown, carried: Record<string, unknown>): IrToolChoice | undefined {
  const config = optionalObject(value, 'toolConfig');
  if (config === undefined) return undefined;
  const calling = optionalObject(field(config, 'functionCallingConfig'), 'toolConfig.functionCallingConfig');
  if (calling === undefined) {
    carried.toolConfig = config;
    return undefined;
  }
  const allowed = optionalArray(field(calling, 'allowedFunctionNames'), 'toolConfig.functionCallingConfig.allowedFunctionNames') ?? [];
  if (!allowed.every((name): name is string => typeof name === 'string')) {
    throw invalidRequest(
      "'toolConfig.functionCallingConfig.allowedFunctionNames' must be an array of strings",
      'toolConfig.functionCallingConfig.allowedFunctionNames',
    );
  }
  if (allowed.length > 1 || Object.keys(config).length > 1) carried.toolConfig = config;
  const mode = optionalString(calling.mode, 'toolConfig.functionCallingConfig.mode') ?? 'AUTO';
  switch (mode) {
    case 'AUTO':
    case 'VALIDATED':
    case 'MODE_UNSPECIFIED':
      return { mode: 'auto' };
    case 'ANY':
      return allowed.length === 1 && allowed[0] !== undefined ? { mode: 'tool', name: allowed[0] } : { mode: 'required' };
    case 'NONE':
      return { mode: 'none' };
    default:
      throw invalidRequest(
        "'toolConfig.functionCallingConfig.mode' must be 'AUTO', 'ANY', 'NONE' or 'VALIDATED'",
        'toolConfig.functionCallingConfig.mode',
      );
  }
}

function decodeGenerationConfig(config: Record<string, unknown> | undefined, request: IrRequest, carried: Record<string, unknown>): void {
  if (config === undefined) return;
  const read = (name: string): unknown => field(config, name);
  const maxOutputTokens = optionalPositiveInteger(read('maxOutputTokens'), 'generationConfig.maxOutputTokens');
  if (maxOutputTokens !== undefined) request.maxOutputTokens = maxOutputTokens;
  const temperature = optionalNumberInRange(read('temperature'), 'generationConfig.temperature', 0, 2);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = optionalNumberInRange(read('topP'), 'generationConfig.topP', 0, 1);
  if (topP !== undefined) request.topP = topP;
  const topK = optionalPositiveInteger(read('topK'), 'generationConfig.topK');
  if (topK !== undefined) request.topK = topK;
  const stop = optionalArray(read('stopSequences'), 'generationConfig.stopSequences');
  if (stop !== undefined) {
    if (!stop.every((entry): entry is string => typeof entry === 'string')) {
      throw invalidRequest("'generationConfig.stopSequences' must be an array of strings", 'generationConfig.stopSequences');
    }
    if (stop.length > 0) request.stop = stop;
  }
  const responseFormat = decodeResponseFormat(config);
  if (responseFormat !== undefined) request.responseFormat = responseFormat;
  const reasoning = decodeThinking(optionalObject(read('thinkingConfig'), 'generationConfig.thinkingConfig'));
  if (reasoning !== undefined) request.reasoning = reasoning;

  const rest = Object.fromEntries(
    Object.entries(config).filter(
      ([key]) => !READ_GENERATION_FIELDS.has(key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())),
    ),
  );
  if (Object.keys(rest).length > 0) carried.generationConfig = rest;
}

/** `responseMimeType: application/json` with a schema is a JSON-schema format; without one, `json_object`. */
function decodeResponseFormat(config: Record<string, unknown>): Record<string, unknown> | undefined {
  const mimeType = optionalString(field(config, 'responseMimeType'), 'generationConfig.responseMimeType');
  const schema =
    optionalObject(field(config, 'responseJsonSchema'), 'generationConfig.responseJsonSchema') ??
    optionalObject(field(config, 'responseSchema'), 'generationConfig.responseSchema');
  if (mimeType !== 'application/json' && schema === undefined) return undefined;
  if (schema === undefined) return { type: 'json_object' };
  // Chat's nested shape: the Chat encoder passes it as is, the Responses and Anthropic ones read both.
  return { type: 'json_schema', json_schema: { name: 'response', schema: lowerCaseTypes(schema) } };
}

/**
 * `thinkingBudget`: 0 turns thinking off, -1 lets the model decide, a positive number is a fixed budget;
 * `thinkingLevel` (Gemini 3) is an effort; `includeThoughts` asks for thought summaries (`summary: auto`).
 */
function decodeThinking(config: Record<string, unknown> | undefined): IrRequest['reasoning'] {
  if (config === undefined) return undefined;
  const budget = optionalNumberInRange(field(config, 'thinkingBudget'), 'generationConfig.thinkingConfig.thinkingBudget', -1, 1_000_000);
  const include = optionalBoolean(field(config, 'includeThoughts'), 'generationConfig.thinkingConfig.includeThoughts');
  const levelName = optionalString(field(config, 'thinkingLevel'), 'generationConfig.thinkingConfig.thinkingLevel');
  const level = levelName === undefined ? undefined : LEVELS[levelName.toLowerCase()];
  if (levelName !== undefined && level === undefined) {
    throw invalidRequest(
      "'generationConfig.thinkingConfig.thinkingLevel' must be minimal, low, medium or high",
      'generationConfig.thinkingConfig.thinkingLevel',
    );
  }
  if (budget === 0) return undefined;
  const reasoning: NonNullable<IrRequest['reasoning']> = {};
  if (budget !== undefined && budget > 0) reasoning.budgetTokens = Math.round(budget);
  if (level !== undefined) reasoning.effort = level;
  if (include === true) reasoning.summary = 'auto';
  return reasoning;
}
