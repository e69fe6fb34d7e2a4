/**
 * Labelled children of one metric, created once per label value and reused: a hot path then does a
 * Map lookup, not prom-client's label validation. At most `max` values are kept; any value beyond
 * them, or refused by `admit`, is reported under `overflow`, so hostile or unbounded input (an
 * agent's action names, a plugin's error codes) cannot grow the series without limit.
 */
export class LabelCache<T> {
  readonly #children = new Map<string, T>();
  readonly #make: (value: string) => T;
  readonly #max: number;
  readonly #overflow: string;

  constructor(make: (value: string) => T, options: { max: number; overflow: string }) {
    this.#make = make;
    this.#max = options.max;
    this.#overflow = options.overflow;
  }

  /** The child for `value`; `admit` is asked only the first time a value is seen. */
  get(value: string, admit?: (value: string) => boolean): T {
    const known = this.#children.get(value);
    if (known !== undefined) return known;
    const label =
      this.#children.size < this.#max && (admit === undefined || admit(value)) ? value : this.#overflow;
    let child = this.#children.get(label);
    if (child === undefined) {
      child = this.#make(label);
      this.#children.set(label, child);
    }
    return child;
  }

  get size(): number {
    return this.#children.size;
  }
}
