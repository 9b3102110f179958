/**
 * Stops an add pass that is about to exhaust the heap. Without it a manager that cannot fit a
 * shape (WatchManagerOptimized with a million single-watch sessions: one BitSet per path as long
 * as the highest watcher bit) spends many minutes in back-to-back full collections before the JVM
 * gives up with OutOfMemoryError. Every 64 Ki watches it looks at the heap; past 90% it collects,
 * and if more than 85% is still live it reports the shape as not fitting. Its own time is returned
 * so the caller can leave it out of the add timing.
 * (Its CPU time is read from the thread clocks too, which is why it only checks every 64 Ki.)
 */
final class HeapGuard {

    /** Thrown instead of waiting for OutOfMemoryError; carries no timing. */
    @SuppressWarnings("serial")
    static final class Full extends RuntimeException {
        Full(String message) {
            super(message, null, false, false);
        }
    }

    private static final int EVERY = 1 << 16;

    long added;
    private long sinceCheck;

    /** Counts n more watches; adds the time spent checking the heap (rarely any) to `spent`. */
    void added(int n, Span spent) {
        added += n;
        sinceCheck += n;
        if (sinceCheck < EVERY) {
            return;
        }
        sinceCheck = 0;
        Span check = Span.start();
        Runtime rt = Runtime.getRuntime();
        long max = rt.maxMemory();
        if (rt.totalMemory() - rt.freeMemory() > max / 10 * 9) {
            long live = Heap.usedAfterGc();
            if (live > max / 20 * 17) {
                throw new Full("heap " + (live >> 20) + " MiB live of " + (max >> 20) + " MiB");
            }
        }
        check.stop();
        spent.wallNs += check.wallNs;
        spent.cpuNs += check.cpuNs;
    }
}
