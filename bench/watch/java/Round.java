/** The figures of one timed round; rounds are combined by keeping the best of each. */
final class Round {

    final long watches;
    Span add;
    Span trigger;
    Span remove;
    long bytes;
    String removeNote;

    Round(long watches) {
        this.watches = watches;
    }

    /**
     * Fastest time per op (scheduling noise only adds time); the first round's heap growth (GC
     * noise goes both ways, so no round is "better").
     */
    static Round best(Round a, Round b) {
        if (a == null) {
            return b;
        }
        a.add = faster(a.add, b.add);
        a.trigger = faster(a.trigger, b.trigger);
        if (b.remove.wallNs < a.remove.wallNs) {
            a.removeNote = b.removeNote;
        }
        a.remove = faster(a.remove, b.remove);
        return a;
    }

    /** Best wall time and best CPU time, each over the rounds on its own. */
    private static Span faster(Span a, Span b) {
        Span s = new Span();
        s.wallNs = Math.min(a.wallNs, b.wallNs);
        s.cpuNs = Math.min(a.cpuNs, b.cpuNs);
        return s;
    }
}
