import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock and CPU time of one timed section. CPU time is the sum over every live Java thread
 * (the caller, and WatchManagerOptimized's cleaner threads), read from the per-thread clocks with
 * nanosecond resolution; the process-wide figure only ticks every 10 ms here. It leaves out the
 * JVM's own GC and JIT threads, which are not Java threads. On a busy machine wall time also
 * counts the time other processes held the cores; CPU time does not, so run.ts can show both.
 */
final class Span {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    long wallNs;
    long cpuNs;
    private long wall0;
    private long cpu0;

    static Span start() {
        Span s = new Span();
        s.cpu0 = cpuNow();
        s.wall0 = System.nanoTime();
        return s;
    }

    Span stop() {
        wallNs += System.nanoTime() - wall0;
        cpuNs += cpuNow() - cpu0;
        return this;
    }

    long startWall() {
        return wall0;
    }

    /** Takes out a section measured inside this one (the heap guard's checks). */
    void minus(Span inner) {
        wallNs -= inner.wallNs;
        cpuNs -= inner.cpuNs;
    }

    static long cpuNow() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }
}
