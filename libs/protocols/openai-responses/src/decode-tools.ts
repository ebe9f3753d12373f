import type { IrFunctionTool, IrTool, IrToolChoice } from '@gw/ir';
import { invalidRequest, isJsonObject, optionalBoolean, optionalObject, optionalString, requiredString } from '@gw/ir';
import type { JsonObject } from './responses.schema';

/**
 * `function` tools map 1:1 and `custom` (freeform) tools to freeform IR functions. A `namespace` tool (Codex:
 * `multi_agent_v1`, `functions`) is flattened into one IR function tool per inner function or custom tool
 * with `namespace` set; its other members stay grouped in a builtin `namespace` tool so a Responses upstream
 * gets them back in the same namespace. Every other type (web_search, file_search, mcp, ...) is a builtin
 * carried as given: only a Responses upstream runs it.
 */
export function decodeTools(tools: unknown): IrTool[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be an array", 'tools');
  return tools.flatMap((tool: unknown, index) => decodeTool(tool, `tools[${index}]`));
}

function decodeTool(raw: unknown, param: string): IrTool[] {
  if (!isJsonObject(raw)) throw invalidRequest(`'${param}' must be an object`, param);
  const type = requiredString(raw.type, `${param}.type`);
  if (type === 'function') return [decodeFunctionTool(raw, param)];
  if (type === 'custom') return [decodeCustomTool(raw, param)];
  if (type === 'namespace') return decodeNamespaceTool(raw, param);
  return [{ kind: 'builtin', type, original: raw }];
}

function decodeFunctionTool(raw: JsonObject, param: string, namespace?: string): IrFunctionTool {
  const description = optionalString(raw.description, `${param}.description`);
  const parameters = optionalObject(raw.parameters, `${param}.parameters`);
  const strict = optionalBoolean(raw.strict, `${param}.strict`);
  return {
    kind: 'function',
    name: requiredString(raw.name, `${param}.name`),
    ...(namespace === undefined ? {} : { namespace }),
    ...(description === undefined ? {} : { description }),
    ...(parameters === undefined ? {} : { parameters }),
    ...(strict === undefined ? {} : { strict }),
  };
}

/** A `custom` (freeform) tool: the model answers with raw text, optionally shaped by a grammar `format`. */
function decodeCustomTool(raw: JsonObject, param: string, namespace?: string): IrFunctionTool {
  const description = optionalString(raw.description, `${param}.description`);
  const format = optionalObject(raw.format, `${param}.format`);
  return {
    kind: 'function',
    name: requiredString(raw.name, `${param}.name`),
    ...(namespace === undefined ? {} : { namespace }),
    ...(description === undefined ? {} : { description }),
    freeform: format === undefined ? {} : { format },
  };
}

function decodeNamespaceTool(raw: JsonObject, param: string): IrTool[] {
  const namespace = requiredString(raw.name, `${param}.name`);
  if (!Array.isArray(raw.tools)) throw invalidRequest(`'${param}.tools' must be an array`, `${param}.tools`);
  const functions: IrTool[] = [];
  const others: JsonObject[] = [];
  raw.tools.forEach((inner: unknown, index) => {
    const innerParam = `${param}.tools[${index}]`;
    if (!isJsonObject(inner)) throw invalidRequest(`'${innerParam}' must be an object`, innerParam);
    if (inner.type === 'function') functions.push(decodeFunctionTool(inner, innerParam, namespace));
    else if (inner.type === 'custom') functions.push(decodeCustomTool(inner, innerParam, namespace));
    else others.push(inner);
  });
  if (others.length > 0) functions.push({ kind: 'builtin', type: 'namespace', original: { ...raw, tools: others } });
  return functions;
}

/**
 * Strings map 1:1; `{type:'function', name}` forces one tool; `allowed_tools` keeps only its mode (the IR has
 * no allow-list); forcing a hosted tool (`{type:'web_search'}`) becomes `required`, the closest IR choice.
 */
export function decodeToolChoice(value: unknown): IrToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'auto' || value === 'none' || value === 'required') return { mode: value };
  if (typeof value === 'string') throw invalidRequest("'tool_choice' must be 'auto', 'none', 'required' or an object", 'tool_choice');
  if (!isJsonObject(value)) throw invalidRequest("'tool_choice' must be a string or an object", 'tool_choice');
  const type = requiredString(value.type, 'tool_choice.type');
  if (type === 'function' || type === 'custom') {
    const namespace = optionalString(value.namespace, 'tool_choice.namespace');
    return { mode: 'tool', name: requiredString(value.name, 'tool_choice.name'), ...(namespace === undefined ? {} : { namespace }) };
  }
  if (type === 'allowed_tools') return { mode: value.mode === 'required' ? 'required' : 'auto' };
  return { mode: 'required' };
}
