// A JS-side cache from path string to the WASM core's path id, so a path JS has already sent
// crosses again as one number: no UTF-8 copy (~50 ns for a 40-char path), no validation, no hash.
//
// Why it is exact without asking the core for generations: the core reuses a path id only when an
// addWatch interns a new path, and every addWatch goes through WasmWatchManager, whose answer says
// "FRESH" when it interned. On FRESH we forget whatever string the cache had for that id, so a
// cached id is either still the same interned path, or no longer interned (the core answers STALE and
// the caller falls back to the bytes).
//
// Only strings seen a second time are cached (the first add interns the path, FRESH; a later add
// finds it): a table of one-watch paths (a million sessions with a path each) keeps no JS entries,
// so the cache costs memory only where it saves work. An entry is dropped when its id is reused or
// found stale.
//
// When lookups pay: a hit saves ~50-130 ns (shape E: 510 -> 381 ns per add, CPU time), but a
// miss on a string V8 has never internalized probes its whole string table, ~100 ns once it holds
// a million paths (shape C, a path per session, where nothing ever repeats). So lookups switch
// off whenever an add interns a new path while the core holds many (OFF_AT), and back on as soon
// as an add by bytes finds an existing path (a string seen again). Entries are kept while lookups
// are off: every add by bytes still reports FRESH ids here, which keeps them exact.
// (An earlier Map-based cache was slower than sending the bytes at 100,000 paths, E add 454 ->
// 600 ns, and switched itself off when full; a dictionary object's lookups did not show that.)
/** Most strings cached at once; past it, new strings are simply not cached. */
export const MAX_ENTRIES = 1 << 17;
/**
 * The cache also stays within a share of the table it serves: at most one entry per this many
 * watches (an entry costs ~60-70 B of JS heap in a dictionary object, so ~4 B per watch), so a
 * table of few watches per path does not spend more on the cache than on its watches.
 */
const WATCHES_PER_ENTRY = 16;
/** Below this the share rule does not apply: small tables cache every repeated path. */
const MIN_ENTRIES = 4096;
/** Lookups go off when a new path is interned while the core holds at least this many paths. */
const OFF_AT = 8192;

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
  /** False while adds intern new paths into a big table: lookups would miss (see above). */
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
   * Learns from an add by bytes: `fresh` when the core interned the path as `id` just now (the id
   * may have named another path before); `paths` is the core's count of live paths, `watches` its
   * count of watches.
   */
  learn(path: string | Uint8Array, id: number, fresh: boolean, paths: number, watches: number): void {
    if (fresh) {
      this.forget(id);
      if (paths >= OFF_AT) this.on = false;
      return;
    }
    this.on = true;
    if (typeof path !== 'string' || this.names[id] === path) return;
    this.forget(id);
    if (this.count >= Math.min(MAX_ENTRIES, Math.max(MIN_ENTRIES, Math.floor(watches / WATCHES_PER_ENTRY)))) return;
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

  /** Number of cached strings (for tests). */
  get size(): number {
    return this.count;
  }
}
