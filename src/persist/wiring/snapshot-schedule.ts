// When to snapshot, as SyncRequestProcessor decides: after more than snapCount/2 + randRoll txns
// since the last roll, randRoll drawn from [0, snapCount/2) anew each time so the servers of an
// ensemble do not all snapshot at once. The log is rolled first, then one snapshot runs in the
// background; if the previous one is still running this one is skipped ("Too busy to snap").
export interface SnapshotScheduleOptions {
  snapCount: number;
  rollLog(): void;
  /** Writes one snapshot; the schedule never runs two at a time. */
  take(): Promise<unknown>;
  onError(err: unknown): void;
  /** Injectable for tests: returns [0, 1). */
  random?: () => number;
}

export class SnapshotSchedule {
  private count = 0;
  private roll = 0;
  private running: Promise<void> | null = null;
  /** Snapshots started and skipped (busy), for tests and logs. */
  readonly stats = { taken: 0, skipped: 0 };

  constructor(private readonly o: SnapshotScheduleOptions) {
    this.reroll();
  }

  private reroll(): void {
    const half = Math.floor(this.o.snapCount / 2);
    this.roll = Math.floor((this.o.random ?? Math.random)() * half);
  }

  /** Counts one logged txn and starts a snapshot when it is time. */
  logged(): void {
    if (++this.count <= Math.floor(this.o.snapCount / 2) + this.roll) return;
    this.count = 0;
    this.reroll();
    this.o.rollLog();
    if (this.running) {
      this.stats.skipped++;
      return;
    }
    this.stats.taken++;
    this.running = this.o.take().then(
      () => undefined,
      (e) => this.o.onError(e),
    ).finally(() => {
      this.running = null;
    });
  }

  /** Resolves once no snapshot is being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
