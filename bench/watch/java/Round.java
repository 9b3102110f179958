/** The figures of one timed round; rounds are combined by keeping the best of each. */
final class Round {

    final long watches;
    long addNs;
    long triggerNs;
    long removeNs;
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
        a.addNs = Math.min(a.addNs, b.addNs);
        a.triggerNs = Math.min(a.triggerNs, b.triggerNs);
        if (b.removeNs < a.removeNs) {
            a.removeNs = b.removeNs;
            a.removeNote = b.removeNote;
        }
        return a;
    }
}
