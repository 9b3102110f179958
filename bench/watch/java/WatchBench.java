import java.util.Locale;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.server.watch.IWatchManager;
import org.apache.zookeeper.server.watch.WatchManager;
import org.apache.zookeeper.server.watch.WatchManagerOptimized;

/**
 * Drives one of Apache ZooKeeper's own watch managers (the 3.8.0 jar) through one benchmark shape
 * and prints one JSON line per measured operation, which bench/watch/run.ts parses:
 *
 *   java WatchBench IMPL SHAPE WATCHERS PATHS_PER_WATCHER PATH_POOL WARM_MS BUDGET_MS
 *
 * IMPL is WatchManager or WatchManagerOptimized. Watcher w watches pool paths
 * (w * K + k) mod P for k < K, and path i is /app/service-(i/1000)/node-(i%1000, 4 digits): the
 * same table bench/watch/shapes.ts builds for the TypeScript implementations.
 *
 * Each round: add every watch (ns per addWatch, then heap bytes per watch after System.gc());
 * trigger every path once with NodeDataChanged (ns per fired watch; every watch is a standard
 * one-shot watch); on a fresh table, removeWatcher for every watcher (ns per removed watch).
 * WARM_MS of warm-up rounds on a twentieth of the shape come first; BUDGET_MS bounds the number
 * of timed full-size rounds (2 to 5); the best round is printed.
 */
public final class WatchBench {

    static final EventType EVENT = EventType.NodeDataChanged;

    final String impl;
    final String shape;
    final int watcherCount;
    final int perWatcher;
    final int pool;

    WatchBench(String[] args) {
        impl = args[0];
        shape = args[1];
        watcherCount = Integer.parseInt(args[2]);
        perWatcher = Integer.parseInt(args[3]);
        pool = Integer.parseInt(args[4]);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: WatchBench IMPL SHAPE WATCHERS PATHS_PER_WATCHER PATH_POOL WARM_MS BUDGET_MS");
            System.exit(2);
        }
        WatchBench bench = new WatchBench(args);
        int status = 0;
        try {
            bench.warmUp(Long.parseLong(args[5]));
            bench.measure(Long.parseLong(args[6]));
        } catch (Throwable e) {
            bench.skip("failed: " + e);
            status = 1;
        }
        System.out.flush();
        // WatcherCleaner's threads are not daemons: leave explicitly, also after a failure.
        System.exit(status);
    }

    /**
     * Passes over a twentieth of the shape for at least warmMs (and at least 3 passes), so C2 has
     * compiled the add, trigger and removal paths before timing. Measured here: one short pass
     * left the first timed trigger 15x slower than a warmed one.
     */
    void warmUp(long warmMs) throws Exception {
        int w = Math.max(10, watcherCount / 20);
        int p = Math.min(pool, Math.max(perWatcher, pool / 20));
        Table table = new Table(w, perWatcher, p);
        long end = System.nanoTime() + warmMs * 1_000_000L;
        for (int round = 0; round < 3 || System.nanoTime() < end; round++) {
            runRound(table, null);
        }
    }

    /**
     * Full-size rounds on fresh tables, at least two and more while budgetMs lasts (at most 5);
     * the best ns per op of the rounds is printed, and the first round's heap growth. The first round
     * also finishes the JIT warm-up at the real sizes (a full-size table takes other branches:
     * bigger BitSets, resized hash tables).
     */
    void measure(long budgetMs) throws Exception {
        Table table = new Table(watcherCount, perWatcher, pool);
        HeapGuard guard = new HeapGuard();
        Round best = null;
        long end = System.nanoTime() + budgetMs * 1_000_000L;
        try {
            for (int round = 0; round < 5 && (round < 2 || System.nanoTime() < end); round++) {
                guard.added = 0;
                best = Round.best(best, runRound(table, guard));
            }
        } catch (OutOfMemoryError | HeapGuard.Full e) {
            table = null;
            Heap.usedAfterGc();
            if (best == null) {
                skip("out of memory with -Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m after "
                     + guard.added + " of " + (long) watcherCount * perWatcher + " watches (" + e + ")");
                return;
            }
        }
        emitRound(best);
    }

    /** add, trigger, then removeWatcher on a second fresh table; bytes only when guarded (timed). */
    Round runRound(Table table, HeapGuard guard) throws Exception {
        long watches = table.watches();
        Round r = new Round(watches);
        long base = guard == null ? 0 : Heap.usedAfterGc();
        IWatchManager m = newManager();
        r.add = table.addAll(m, guard);
        check(m.size() == watches, "size after add " + m.size() + " != " + watches);
        r.bytes = guard == null ? 0 : Heap.usedAfterGc() - base;
        CountingWatcher.fired = 0;
        r.trigger = table.triggerAll(m);
        check(CountingWatcher.fired == watches, "fired " + CountingWatcher.fired + " != " + watches);
        m.shutdown();
        m = newManager();
        table.addAll(m, guard);
        if (guard != null) {
            Heap.usedAfterGc();
        }
        Removal removal = removeAll(m, table);
        r.remove = removal.span;
        r.removeNote = removal.note;
        m.shutdown();
        return r;
    }

    void emitRound(Round r) {
        double bytesPerWatch = (double) r.bytes / r.watches;
        emit("add", r.add, r.watches, bytesPerWatch, null);
        emit("trigger", r.trigger, r.watches, bytesPerWatch, null);
        emit("removeWatcher", r.remove, r.watches, bytesPerWatch, r.removeNote);
    }

    IWatchManager newManager() {
        switch (impl) {
        case "WatchManager":
            return new WatchManager();
        case "WatchManagerOptimized":
            return new WatchManagerOptimized();
        default:
            throw new IllegalArgumentException("unknown impl " + impl);
        }
    }

    /**
     * WatchManager removes a watcher's watches synchronously. WatchManagerOptimized only queues the
     * watcher's bit for its WatcherCleaner, whose worker threads later sweep every path's
     * BitHashSet; see Cleaner for how the time until the table is really clean is taken.
     */
    Removal removeAll(IWatchManager m, Table table) throws Exception {
        Span span = Span.start();
        for (CountingWatcher w : table.watchers) {
            m.removeWatcher(w);
        }
        if (m instanceof WatchManagerOptimized) {
            return Cleaner.awaitClean((WatchManagerOptimized) m, span, table.watches());
        }
        span.stop();
        boolean clean = m.size() == 0;
        return new Removal(span, clean, clean ? null : "NOT clean: " + m.size() + " watches left");
    }

    void emit(String op, Span span, long count, double bytesPerWatch, String note) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"impl\":\"zk-").append(impl).append("\",\"shape\":\"").append(shape)
          .append("\",\"op\":\"").append(op).append("\",\"nsPerOp\":")
          .append(String.format(Locale.ROOT, "%.2f", (double) span.wallNs / count))
          .append(",\"cpuNsPerOp\":").append(String.format(Locale.ROOT, "%.2f", (double) span.cpuNs / count))
          .append(",\"bytesPerWatch\":")
          .append(String.format(Locale.ROOT, "%.2f", bytesPerWatch)).append(",\"count\":").append(count);
        if (note != null) {
            sb.append(",\"note\":\"").append(note.replace("\"", "'")).append('"');
        }
        System.out.println(sb.append('}'));
    }

    void skip(String reason) {
        System.out.println("{\"impl\":\"zk-" + impl + "\",\"shape\":\"" + shape + "\",\"skip\":\""
                           + reason.replace("\"", "'") + "\"}");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }

    /** What a removal pass took: its time, whether the table ended empty, and how it was timed. */
    static final class Removal {
        final Span span;
        final boolean clean;
        final String note;

        Removal(Span span, boolean clean, String note) {
            this.span = span;
            this.clean = clean;
            this.note = note;
        }
    }
}
