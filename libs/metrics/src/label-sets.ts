/** A label value as a lookup key: strings, numbers (HTTP statuses) and null (absent) need no conversion to look up. */
export type LabelKey = string | number | null;

/**
 * Maps a tuple of label values to one value (a series, or a bundle of series), created once per distinct
 * tuple. A lookup walks nested Maps keyed by the values themselves, so a hit allocates nothing (no joined
 * key string per request). At most `maxSets` tuples are kept: label values may come from clients, and a
 * metric must not grow without bound; past the cap every new tuple gets the overflow value instead.
 */
export class LabelSets<T> {
  private readonly root = new Map<LabelKey, unknown>();
  private readonly created: { values: readonly LabelKey[]; value: T }[] = [];

  constructor(
    private readonly arity: number,
    private readonly create: (values: readonly LabelKey[]) => T,
    readonly maxSets: number,
    /** The value past the cap; called for every lookup that overflowed, so it can count them. */
    private readonly overflow: () => T,
  ) {}

  get(values: readonly LabelKey[]): T {
    if (values.length !== this.arity) throw new Error(`expected ${this.arity} label values, got ${values.length}`);
    if (this.arity === 0) return this.only();
    let node = this.root;
    for (let index = 0; index < this.arity - 1; index++) {
      const next = node.get(values[index] as LabelKey) as Map<LabelKey, unknown> | undefined;
      if (next === undefined) return this.add(values);
      node = next;
    }
    const found = node.get(values[this.arity - 1] as LabelKey) as T | undefined;
    return found === undefined ? this.add(values) : found;
  }

  /** Every tuple created so far, in creation order. */
  entries(): readonly { values: readonly LabelKey[]; value: T }[] {
    return this.created;
  }

  get size(): number {
    return this.created.length;
  }

  private only(): T {
    if (this.created.length === 0) this.created.push({ values: [], value: this.create([]) });
    return (this.created[0] as { value: T }).value;
  }

  /** Past the cap, only `beyondCap` adds a tuple (the overflow series itself, once). */
  add(values: readonly LabelKey[], beyondCap = false): T {
    if (this.created.length >= this.maxSets && !beyondCap) return this.overflow();
    const copy = values.slice();
    let node = this.root;
    for (let index = 0; index < this.arity - 1; index++) {
      const key = copy[index] as LabelKey;
      let next = node.get(key) as Map<LabelKey, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    const last = copy[this.arity - 1] as LabelKey;
    const existing = node.get(last) as T | undefined;
    if (existing !== undefined) return existing;
    const value = this.create(copy);
    this.created.push({ values: copy, value });
    node.set(last, value);
    return value;
  }
}
