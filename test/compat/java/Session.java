// One scripted ZooKeeper session: the real Java client plus the events its default watcher saw,
// in arrival order. Every watch the script sets uses this default watcher.
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

final class Session implements Watcher {
    final String name;
    ZooKeeper zk;
    private final List<WatchedEvent> events = new ArrayList<>();
    private Event.KeeperState state = Event.KeeperState.Disconnected;

    Session(String name) {
        this.name = name;
    }

    @Override
    public synchronized void process(WatchedEvent e) {
        events.add(e);
        if (e.getType() == Event.EventType.None) state = e.getState();
        notifyAll();
    }

    synchronized boolean awaitState(Event.KeeperState want, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (state != want) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    synchronized boolean awaitEventCount(int n, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (events.size() < n) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    synchronized String stateName() {
        return state.name();
    }

    /** Takes every event seen so far. */
    synchronized List<WatchedEvent> drain() {
        List<WatchedEvent> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    /**
     * Waits until every notification the server sent before the reply to a fresh request has been
     * handed to the watcher: the client's event thread delivers watch events and async callbacks
     * in the order their packets arrived, so a callback is a barrier behind them.
     */
    void barrier() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        zk.exists("/", false, (rc, path, ctx, stat) -> done.countDown(), null);
        if (!done.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("barrier timed out");
    }
}
