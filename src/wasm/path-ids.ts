// A JS-side cache from path string to the WASM core's path id, so a path JS has already sent
// crosses again as one number: no UTF-8 copy (~50 ns for a 40-char path), no validation, no hash.
//
// Why it is exact without asking the core for generations: the core reuses a path id only when an
// addWatch interns a new path, and every addWatch goes through WasmWatchManager, whose answer says
// "FRESH" when it interned. On FRESH we forget whatever string the cache had for that id, so a
// cached id is either still the same interned path, or no longer live (the core answers STALE and
// the caller falls back to the bytes).
//
// Only strings seen a second time are cached (the first add interns the path, FRESH; a later add
// finds it): a table of one-watch paths (a million sessions with a path each) keeps no JS entries,
// so the cache costs memory only where it saves work. The cache is bounded by the number of live
// ids: an entry is dropped when its id is reused or found stale.

export class PathIdCache {
  private readonly byName = new Map<string, number>();
  /** id -> the string cached for it (undefined when none). Grown by push to stay a fast array. */
  private readonly names: (string | undefined)[] = [];

  /** The cached id of `path`, or undefined. */
  get(path: string): number | undefined {
    return this.byName.get(path);
  }

  /** Drops a cached id the core called stale. */
  stale(path: string): void {
    this.byName.delete(path);
  }

  /** Learns from an addWatch answer: `fresh` when the core interned the path as `id` just now. */
  learn(path: string | Uint8Array, id: number, fresh: boolean): void {
    if (fresh) {
      this.forget(id);
      return;
    }
    if (typeof path !== 'string' || this.names[id] === path) return;
    this.forget(id);
    while (this.names.length <= id) this.names.push(undefined);
    this.names[id] = path;
    this.byName.set(path, id);
  }

  /** The core reused (or is about to reuse) `id`: no string may map to it any more. */
  private forget(id: number): void {
    const old = id < this.names.length ? this.names[id] : undefined;
    if (old === undefined) return;
    if (this.byName.get(old) === id) this.byName.delete(old);
    this.names[id] = undefined;
  }

  /** Number of cached strings (for tests). */
  get size(): number {
    return this.byName.size;
  }
}
