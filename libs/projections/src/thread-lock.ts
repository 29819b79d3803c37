/**
 * A lock shared by the threads of one rebuild (its SharedArrayBuffer crosses to a worker): each
 * lane holds it around its write transactions, so the other waits on the lock and is woken the
 * moment it is free, instead of SQLite's busy handler sleeping up to 100 ms between retries.
 */
export class ThreadLock {
  private readonly cell: Int32Array;

  constructor(
    readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(4),
    /** Longest wait before giving up (a holder that died never releases it). */
    private readonly timeoutMs = 60_000,
  ) {
    this.cell = new Int32Array(buffer);
  }

  /** Blocks this thread until the lock is free, then takes it. */
  acquire(): void {
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.compareExchange(this.cell, 0, 0, 1) !== 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`The rebuild's write lock was not released within ${this.timeoutMs} ms`);
      Atomics.wait(this.cell, 0, 1, Math.min(left, 1000));
    }
  }

  release(): void {
    Atomics.store(this.cell, 0, 0);
    Atomics.notify(this.cell, 0, 1);
  }
}
