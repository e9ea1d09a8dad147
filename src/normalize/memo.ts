/**
 * Small helpers for normalising millions of values that repeat: a bounded memo of a pure string function, and
 * `detach`, which keeps a cached string from holding a larger one alive.
 */

/**
 * A copy of `s` that does not keep alive a larger string it may be a slice of. Strings cut from a decoded piece of
 * input (CSV fields, parts of a list cell) are slices that hold the whole piece; anything kept beyond the row that
 * produced it (a cached value, an account's profile) must not hold pieces of the input.
 */
export function detach<T extends string | null | undefined>(s: T): T {
  // V8 copies strings shorter than 13 characters instead of slicing them; flattening " " + s copies the rest
  return (typeof s === "string" && s.length >= 13 ? (" " + s).slice(1) : s) as T;
}

/**
 * A bounded memo for a pure function of a string: two generations of at most `limit` entries each; when the young
 * one fills, it becomes the old one and the old one is dropped. Lookups that hit the old generation move the entry
 * back to the young one, so values that keep repeating stay. Keys longer than `maxKeyLength` are computed every
 * time and never kept, so the memo holds at most 2 × limit × maxKeyLength characters of keys.
 */
export class StringMemo<V extends string | null> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();

  constructor(
    private readonly limit: number,
    private readonly maxKeyLength: number,
    private readonly compute: (key: string) => V,
  ) {}

  get(key: string): V {
    if (key.length > this.maxKeyLength) return this.compute(key);
    let v = this.young.get(key);
    if (v !== undefined) return v;
    v = this.old.get(key);
    if (v === undefined) v = detach(this.compute(key));
    if (this.young.size >= this.limit) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(detach(key), v);
    return v;
  }
}
