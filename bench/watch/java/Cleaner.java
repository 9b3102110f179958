import java.lang.reflect.Field;
import org.apache.zookeeper.server.util.BitMap;
import org.apache.zookeeper.server.watch.WatchManagerOptimized;

/**
 * Times WatchManagerOptimized's removeWatcher until the table is really clean.
 *
 * In ZooKeeper 3.8, removeWatcher(watcher) only looks up the watcher's bit and hands it to the
 * WatcherCleaner thread. That thread wakes once 1000 dead watchers are queued
 * (zookeeper.watcherCleanThreshold) or after 600-900 s (watcherCleanIntervalInSeconds plus
 * jitter), snapshots the queue and gives it to a 2-thread WorkerService, whose job walks EVERY
 * path's BitHashSet to clear the dead bits and finally releases the bits in watcherBitIdMap.
 * Empty per-path sets are left for a later trigger to drop.
 *
 * We count the removal as done when watcherBitIdMap is empty (the last step of the last sweep).
 * The last batch is usually below the threshold and would sit for 10+ minutes, so while waiting
 * we notify the cleaner's private cleanEvent every millisecond (what its interval timer would
 * eventually do); the idle wait is therefore not counted, the sweeps are.
 */
final class Cleaner {

    private static final long TIMEOUT_NS = 300_000_000_000L;

    private Cleaner() {
    }

    static WatchBench.Removal awaitClean(WatchManagerOptimized m, Span span, long watches)
            throws Exception {
        long callsNs = System.nanoTime() - span.startWall();
        long t0 = span.startWall();
        BitMap<?> bits = (BitMap<?>) field(m, "watcherBitIdMap");
        Object cleaner = field(m, "watcherCleaner");
        Object cleanEvent = field(cleaner, "cleanEvent");
        while (bits.size() > 0 && System.nanoTime() - t0 < TIMEOUT_NS) {
            synchronized (cleanEvent) {
                cleanEvent.notifyAll();
            }
            Thread.sleep(1);
        }
        span.stop();
        boolean clean = bits.size() == 0 && m.size() == 0;
        String note = String.format(java.util.Locale.ROOT,
            "removeWatcher calls alone %.1f ns/watch; the rest is WatcherCleaner "
            + "sweeping every path until all watcher bits were released%s",
            (double) callsNs / watches,
            clean ? "" : " - NOT clean after 300 s");
        return new WatchBench.Removal(span, clean, note);
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        Field f = owner.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(owner);
    }
}
