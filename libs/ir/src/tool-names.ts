/**
 * Chat Completions function names must match ^[a-zA-Z0-9_-]{1,64}$ and have no namespaces, so a Responses
 * `namespace` tool's inner tools are flattened to `<namespace>__<name>` on the way to a Chat upstream and
 * mapped back (through this map, built from the request) on the way out.
 */
export type ToolNameMap = Map<string, { name: string; namespace?: string }>;

export const NAMESPACE_SEPARATOR = '__';

export function flattenToolName(name: string, namespace?: string): string {
  return namespace === undefined ? name : `${namespace}${NAMESPACE_SEPARATOR}${name}`;
}

/** Resolves a wire name to the IR name; names not in the map (not flattened) pass through. */
export function resolveToolName(map: ToolNameMap | undefined, wireName: string): { name: string; namespace?: string } {
  return map?.get(wireName) ?? { name: wireName };
}
