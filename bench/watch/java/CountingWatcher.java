import java.util.List;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.server.DumbWatcher;

/**
 * A real server-side watcher for the benchmark: ZooKeeper's own DumbWatcher (a ServerCnxn with a
 * session id, which WatchManagerOptimized needs for its dead-watcher check and reports) that counts
 * the events delivered to it, so the harness can check that a trigger pass fired every watch.
 *
 * The Debian 3.8.0 jar carries the CVE-2024-23944 backport, so the managers call
 * process(event, znodeAcl) on ServerWatchers; the one-argument form is counted too.
 */
public final class CountingWatcher extends DumbWatcher {

    /** Events delivered to every CountingWatcher since the last reset; the harness is single-threaded. */
    static long fired;

    CountingWatcher(long sessionId) {
        super(sessionId);
    }

    @Override
    public void process(WatchedEvent event, List<ACL> znodeAcl) {
        fired++;
    }

    @Override
    public void process(WatchedEvent event) {
        fired++;
    }
}
