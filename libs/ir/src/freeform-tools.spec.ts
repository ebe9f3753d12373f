import { freeformFunctionDescription, unwrapFreeformArguments, wrapFreeformInput } from './freeform-tools';

describe('freeform tools as functions', () => {
  it('wraps and unwraps the raw input losslessly, quotes and newlines included', () => {
    const input = 'line "one"\n\tline \\two\u2028';
    expect(unwrapFreeformArguments(wrapFreeformInput(input))).toBe(input);
  });

  it("passes on arguments a model wrote without the schema's `input` member instead of losing them", () => {
    expect(unwrapFreeformArguments('*** Begin Patch')).toBe('*** Begin Patch');
    expect(unwrapFreeformArguments('{"patch":"x"}')).toBe('{"patch":"x"}');
    expect(unwrapFreeformArguments('{"input":3}')).toBe('{"input":3}');
  });

  it('puts a grammar into the description, and leaves a plain description alone', () => {
    const grammar = { type: 'grammar', syntax: 'lark', definition: 'start: /x+/' };
    expect(freeformFunctionDescription({ kind: 'function', name: 'exec', description: 'Run code', freeform: { format: grammar } })).toBe(
      'Run code\n\nPut the raw text in "input"; it must match this lark grammar:\nstart: /x+/',
    );
    expect(freeformFunctionDescription({ kind: 'function', name: 'apply_patch', description: 'Patch', freeform: {} })).toBe('Patch');
  });
});
