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
// so the cache costs memory only where it saves work. An entry is dropped when its id is reused or
// found stale.
//
// The cache is only used while the core holds few paths. Measured on the issue-2 shapes
// (bench:watch, full size): with 1,000 or 100 hot paths it halves the add cost (225 -> 105 ns,
// 220 -> 90 ns), but with 100,000 paths V8's Map lookups miss the CPU caches and adds and triggers
// got slower than sending the bytes (E add 454 -> 600 ns, E trigger 10 -> 16 ns per fired watch;
// capping the Map at 4,096 entries did not help). So the cache switches itself off (and lets go of
// its entries) when it fills up, and back on once the core's path count is small again.
// It also switches off when the core holds many more paths than it could cache even though few
// strings repeat (a million sessions with a path each, shape C): then every add missed the cache,
// and a miss on a string V8 has never hashed probes its whole string table (~100 ns at 1M paths).
/** Most strings cached at once (a Map this size stays in the CPU caches). */
export const MAX_ENTRIES = 4096;
/** The cache comes back on when the core holds fewer paths than this. */
const BACK_ON = MAX_ENTRIES >>> 1;
/** The cache goes off when the core holds this many paths, however few strings repeat. */
const OFF_AT = MAX_ENTRIES * 2;

/** A dictionary-mode object: no prototype, so no key can hit an inherited property. */
type Ids = Record<string, number | undefined>;

export class PathIdCache {
  /**
   * path -> id, as a prototype-less object rather than a Map: a keyed load on a dictionary object
   * hashes an internalized key once and then compares pointers, measured ~4-5 ns cheaper per lookup
   * than Map.get on the bench's shapes (paths always start with '/', so no key is an array index).
   */
  private byName: Ids = Object.create(null) as Ids;
  private count = 0;
  /** id -> the string cached for it (undefined when none). Grown by push to stay a fast array. */
  private names: (string | undefined)[] = [];
  /** False while the core holds too many paths for the cache to pay (see above). */
  on = true;

  /** The cached id of `path`, or undefined. */
  get(path: string): number | undefined {
    return this.byName[path];
  }

  /** Drops a cached id the core called stale. */
  stale(path: string): void {
    this.drop(path);
  }

  private drop(path: string): void {
    if (this.byName[path] === undefined) return;
    delete this.byName[path];
    this.count--;
  }

  /**
   * Learns from an addWatch answer: `fresh` when the core interned the path as `id` just now;
   * `paths` is the core's count of interned paths.
   */
  learn(path: string | Uint8Array, id: number, fresh: boolean, paths: number): void {
    if (!this.on) {
      if (paths >= BACK_ON) return;
      this.on = true;
    } else if (paths >= OFF_AT) {
      this.off();
      return;
    }
    if (fresh) {
      this.forget(id);
      return;
    }
    if (typeof path !== 'string' || this.names[id] === path) return;
    this.forget(id);
    if (this.count >= MAX_ENTRIES) {
      this.off();
      return;
    }
    while (this.names.length <= id) this.names.push(undefined);
    this.names[id] = path;
    if (this.byName[path] === undefined) this.count++;
    this.byName[path] = id;
  }

  /** The core reused (or is about to reuse) `id`: no string may map to it any more. */
  private forget(id: number): void {
    const old = id < this.names.length ? this.names[id] : undefined;
    if (old === undefined) return;
    if (this.byName[old] === id) this.drop(old);
    this.names[id] = undefined;
  }

  /** Switches the cache off and forgets everything: ids may be reused unseen while it is off. */
  private off(): void {
    this.on = false;
    this.byName = Object.create(null) as Ids;
    this.count = 0;
    this.names = [];
  }

  /** Number of cached strings (for tests). */
  get size(): number {
    return this.count;
  }
}
