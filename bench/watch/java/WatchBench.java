import java.util.Locale;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.server.watch.IWatchManager;
import org.apache.zookeeper.server.watch.WatchManager;
import org.apache.zookeeper.server.watch.WatchManagerOptimized;

/**
 * Drives one of Apache ZooKeeper's own watch managers (the 3.8.0 jar) through one benchmark shape
 * and prints one JSON line per measured operation, which bench/watch/run.ts parses:
 *
 *   java WatchBench IMPL SHAPE WATCHERS PATHS_PER_WATCHER PATH_POOL
 *
 * IMPL is WatchManager or WatchManagerOptimized. Watcher w watches pool paths
 * (w * K + k) mod P for k < K, and path i is /app/service-(i/1000)/node-(i%1000, 4 digits): the
 * same table bench/watch/shapes.ts builds for the TypeScript implementations.
 *
 * Phases (after two warm-up passes on a twentieth of the shape, so C2 has compiled the loops):
 * add every watch (ns per addWatch, then heap bytes per watch after System.gc()); trigger every
 * path once with NodeDataChanged (ns per fired watch; every watch is a standard one-shot watch);
 * on a fresh table, removeWatcher for every watcher (ns per removed watch).
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
        if (args.length != 5) {
            System.err.println("usage: WatchBench IMPL SHAPE WATCHERS PATHS_PER_WATCHER PATH_POOL");
            System.exit(2);
        }
        WatchBench bench = new WatchBench(args);
        bench.warmUp();
        bench.measure();
        System.out.flush();
        // WatcherCleaner's worker threads are not daemons in every version: leave explicitly.
        System.exit(0);
    }

    /** Two passes over a twentieth of the shape: JIT warm-up only, nothing is printed. */
    void warmUp() throws Exception {
        int w = Math.max(10, watcherCount / 20);
        int p = Math.min(pool, Math.max(perWatcher, pool / 20));
        for (int round = 0; round < 2; round++) {
            Table table = new Table(w, perWatcher, p);
            IWatchManager m = newManager();
            table.addAll(m, null);
            table.triggerAll(m);
            m.shutdown();
            m = newManager();
            table.addAll(m, null);
            removeAll(m, table);
            m.shutdown();
        }
    }

    void measure() throws Exception {
        Table table = new Table(watcherCount, perWatcher, pool);
        long watches = (long) watcherCount * perWatcher;
        long bytesPerWatch = -1;
        HeapGuard guard = new HeapGuard();
        try {
            long base = Heap.usedAfterGc();
            IWatchManager m = newManager();
            long addNs = table.addAll(m, guard);
            check(m.size() == watches, "size after add " + m.size() + " != " + watches);
            bytesPerWatch = Math.round((double) (Heap.usedAfterGc() - base) / watches);
            emit("add", (double) addNs / watches, bytesPerWatch, watches, null);

            CountingWatcher.fired = 0;
            long triggerNs = table.triggerAll(m);
            check(CountingWatcher.fired == watches, "fired " + CountingWatcher.fired + " != " + watches);
            emit("trigger", (double) triggerNs / watches, bytesPerWatch, watches, null);
            m.shutdown();
            m = null;
            Heap.usedAfterGc();

            m = newManager();
            guard.added = 0;
            table.addAll(m, guard);
            Heap.usedAfterGc();
            Removal r = removeAll(m, table);
            emit("removeWatcher", (double) r.ns / watches, bytesPerWatch, watches, r.note);
            m.shutdown();
        } catch (OutOfMemoryError | HeapGuard.Full e) {
            table = null;
            Heap.usedAfterGc();
            skip("out of memory with -Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m after "
                 + guard.added + " of " + watches + " watches (" + e + ")");
        }
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
        long t0 = System.nanoTime();
        for (CountingWatcher w : table.watchers) {
            m.removeWatcher(w);
        }
        long callsNs = System.nanoTime() - t0;
        long watches = (long) table.watchers.length * table.perWatcher;
        if (m instanceof WatchManagerOptimized) {
            return Cleaner.awaitClean((WatchManagerOptimized) m, t0, callsNs, watches);
        }
        boolean clean = m.size() == 0;
        return new Removal(callsNs, clean, clean ? null : "NOT clean: " + m.size() + " watches left");
    }

    void emit(String op, double nsPerOp, long bytesPerWatch, long count, String note) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"impl\":\"zk-").append(impl).append("\",\"shape\":\"").append(shape)
          .append("\",\"op\":\"").append(op).append("\",\"nsPerOp\":")
          .append(String.format(Locale.ROOT, "%.2f", nsPerOp)).append(",\"bytesPerWatch\":")
          .append(bytesPerWatch).append(",\"count\":").append(count);
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

    /** What a removal pass took: total ns, whether the table ended empty, and how it was timed. */
    static final class Removal {
        final long ns;
        final boolean clean;
        final String note;

        Removal(long ns, boolean clean, String note) {
            this.ns = ns;
            this.clean = clean;
            this.note = note;
        }
    }
}
