/**
 * Chat Completions function names must match ^[a-zA-Z0-9_-]{1,64}$ and have no namespaces, so a Responses
 * `namespace` tool's inner tools are flattened to `<namespace>__<name>` on the way to a Chat upstream (and
 * names that would still break the rule are shortened, see `chatFunctionName`), then mapped back through
 * this map, built from the request, on the way out.
 */
export type ToolNameMap = Map<string, ToolNameEntry>;

/** `freeform`: the IR tool takes free text, sent upstream as a function with one string parameter. */
export interface ToolNameEntry {
  name: string;
  namespace?: string;
  freeform?: boolean;
}

export const NAMESPACE_SEPARATOR = '__';

export function flattenToolName(name: string, namespace?: string): string {
  return namespace === undefined ? name : `${namespace}${NAMESPACE_SEPARATOR}${name}`;
}

const CHAT_FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const CHAT_FUNCTION_NAME_MAX = 64;

/**
 * The name a tool goes by on a Chat upstream: flattened, and, when that is longer than 64 characters or
 * holds characters Chat refuses (MCP server and tool names can), cleaned and cut with a hash of the full
 * name appended. Deterministic, so every turn of a conversation (history calls included) gets the same name.
 */
export function chatFunctionName(name: string, namespace?: string): string {
  const flattened = flattenToolName(name, namespace);
  if (CHAT_FUNCTION_NAME.test(flattened)) return flattened;
  const suffix = `_${fnv1a32(flattened)}`;
  const cleaned = flattened.replace(/[^a-zA-Z0-9_-]/g, '_');
  return cleaned.slice(0, CHAT_FUNCTION_NAME_MAX - suffix.length) + suffix;
}

/** 32-bit FNV-1a as 8 hex digits: short, stable across processes and versions, and no crypto needed. */
function fnv1a32(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Resolves a wire name to the IR name; names not in the map (not flattened) pass through. */
export function resolveToolName(map: ToolNameMap | undefined, wireName: string): ToolNameEntry {
  return map?.get(wireName) ?? { name: wireName };
}
