/** Java heap in use, read after full collections so it counts live objects only. */
final class Heap {

    private Heap() {
    }

    /** Bytes in use after System.gc(); collected until two readings agree within 1 MiB. */
    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = rt.totalMemory() - rt.freeMemory();
            if (Math.abs(last - used) < (1 << 20)) {
                return used;
            }
            last = used;
        }
        return last;
    }
}
