/**
 * An attribute key of the spans the gateway writes itself (request spans), made once, where they are written
 * (a module's constant). Span writers keep what they learn of a key (its encoding, the values it repeats) by
 * its `index`, in an array: writing an attribute then costs no lookup by its name (ADR 0014).
 */
export class SpanAttribute {
  private static made = 0;
  readonly index: number;

  constructor(readonly key: string) {
    this.index = SpanAttribute.made++;
  }
}

/**
 * The attributes of these keys, by key: `A['http.route']` reads as the convention's name where it is used.
 * Made in one go (`Object.fromEntries`), so the record keeps V8's fast properties: built by one keyed store
 * per key, a record of a few dozen keys becomes a dictionary, and every read of it a hash lookup.
 */
export function spanAttributes<K extends string>(...keys: K[]): { readonly [key in K]: SpanAttribute } {
  return Object.freeze(Object.fromEntries(keys.map((key) => [key, new SpanAttribute(key)]))) as { readonly [key in K]: SpanAttribute };
}
