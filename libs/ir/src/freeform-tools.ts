import type { IrFunctionTool, JsonSchema } from './request';

/**
 * Freeform tools (Responses `custom`) on protocols that only know JSON-argument functions (Chat, Anthropic,
 * Gemini): the tool becomes a function with one string parameter, `input`, and the model's call
 * `{"input": "..."}` is unwrapped back to the raw text before a Responses client sees it as a
 * `custom_tool_call`. The grammar, when there is one, goes into the description: the model has nothing else
 * to learn the input's syntax from.
 */
export const FREEFORM_INPUT_PARAMETER = 'input';

export function freeformFunctionParameters(): JsonSchema {
  return {
    type: 'object',
    properties: { [FREEFORM_INPUT_PARAMETER]: { type: 'string', description: 'The raw input text.' } },
    required: [FREEFORM_INPUT_PARAMETER],
    additionalProperties: false,
  };
}

export function freeformFunctionDescription(tool: IrFunctionTool): string {
  const description = tool.description ?? '';
  const format = tool.freeform?.format;
  if (format === undefined || format.type !== 'grammar' || typeof format.definition !== 'string') return description;
  const syntax = typeof format.syntax === 'string' ? format.syntax : 'grammar';
  const note = `Put the raw text in "${FREEFORM_INPUT_PARAMETER}"; it must match this ${syntax} grammar:\n${format.definition}`;
  return description === '' ? note : `${description}\n\n${note}`;
}

/** A freeform call's raw text as the JSON arguments of its function form. */
export function wrapFreeformInput(input: string): string {
  return JSON.stringify({ [FREEFORM_INPUT_PARAMETER]: input });
}

/**
 * The raw text back from the function form's arguments. A model that ignored the schema (plain text, or
 * JSON without `input`) has its arguments passed on as they came rather than lost.
 */
export function unwrapFreeformArguments(argumentsJson: string): string {
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const input = (parsed as Record<string, unknown>)[FREEFORM_INPUT_PARAMETER];
      if (typeof input === 'string') return input;
    }
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return argumentsJson;
}
