import org.apache.zookeeper.server.watch.IWatchManager;

/**
 * One benchmark shape for the Java managers: the path strings and watcher objects are built before
 * any heap baseline, so bytes per watch count only what the manager itself holds (the same rule the
 * TypeScript side follows: the path text belongs to the caller, as in a server's data tree).
 */
final class Table {

    final String[] paths;
    final CountingWatcher[] watchers;
    final int perWatcher;

    Table(int watcherCount, int perWatcher, int pool) {
        this.perWatcher = perWatcher;
        paths = new String[pool];
        for (int i = 0; i < pool; i++) {
            paths[i] = path(i);
        }
        watchers = new CountingWatcher[watcherCount];
        for (int w = 0; w < watcherCount; w++) {
            watchers[w] = new CountingWatcher(0x1000000L + w);
        }
    }

    long watches() {
        return (long) watchers.length * perWatcher;
    }

    /** /app/service-17/node-0042: a thousand nodes per service, like a service-discovery tree. */
    static String path(int i) {
        StringBuilder sb = new StringBuilder(32).append("/app/service-").append(i / 1000).append("/node-");
        String n = Integer.toString(i % 1000);
        for (int pad = n.length(); pad < 4; pad++) {
            sb.append('0');
        }
        return sb.append(n).toString();
    }

    /**
     * Adds watch k of watcher w on pool path (w * K + k) mod P, watcher by watcher, as sessions
     * would register them. Returns the time spent, minus the time the heap guard spent checking.
     */
    Span addAll(IWatchManager m, HeapGuard guard) {
        int pool = paths.length;
        Span span = Span.start();
        Span excluded = new Span();
        for (int w = 0; w < watchers.length; w++) {
            CountingWatcher watcher = watchers[w];
            long first = (long) w * perWatcher;
            for (int k = 0; k < perWatcher; k++) {
                m.addWatch(paths[(int) ((first + k) % pool)], watcher);
            }
            if (guard != null) {
                guard.added(perWatcher, excluded);
            }
        }
        span.stop().minus(excluded);
        return span;
    }

    /** Triggers every pool path once; with one-shot watches this fires and empties the table. */
    Span triggerAll(IWatchManager m) {
        Span span = Span.start();
        for (String p : paths) {
            m.triggerWatch(p, WatchBench.EVENT, null);
        }
        return span.stop();
    }
}
