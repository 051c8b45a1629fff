/**
 * The coordinator's way into the shared store without ever blocking its
 * thread (NODE-NOTES: the main thread must not Atomics.wait). The
 * coordinator's bookkeeping calls the store synchronously (readdir of
 * temproots/, releasing a dead pid's flocks, the closure check), and those
 * calls take the store's internal mutexes. A job runs holding all of them,
 * taken at once without sleeping (mutex.ts `tryLockAll`); when one is busy the
 * job waits with Atomics.waitAsync and retries. A busy mutex whose holder was
 * terminated is freed by the recovery on the thread's 'exit' (recovery.ts),
 * which wakes the waiting job like an unlock would.
 *
 * Jobs run one at a time in submission order, so the bookkeeping sees process
 * ends in the order they were reported; a job submitted while the queue is
 * empty and the store free runs at once, synchronously, as before.
 */
import { STORE_MUTEXES, headerOf } from '../../store/layout.js';
import { tryLockAll, unlockAll, waitAsyncForChange } from '../../store/mutex.js';

const SLOTS = Object.values(STORE_MUTEXES);
/** Bound on one waitAsync: a re-poll, should a notify ever be missed. */
const RETRY_MS = 20;

export class StoreGate {
  private readonly words: Int32Array;
  private readonly queue: (() => void)[] = [];
  private pumping = false;
  /** The slot the last failed attempt found busy. */
  private busy = -1;

  constructor(sab: SharedArrayBuffer) {
    this.words = headerOf(sab);
  }

  /** Runs `job` holding every store mutex: now if possible, else once they are free (after earlier jobs). */
  run(job: () => void): void {
    if (this.queue.length === 0 && !this.pumping && this.acquire()) return this.runHeld(job);
    this.queue.push(job);
    if (!this.pumping) void this.pump();
  }

  /** Drops the jobs not yet run (an abandoned run: its threads are being terminated, and a mutex they hold may never be freed). */
  drop(): void {
    this.queue.length = 0;
  }

  /** Jobs waiting for a busy mutex (the watchdog reports them). */
  get waiting(): number {
    return this.queue.length;
  }

  private acquire(): boolean {
    this.busy = tryLockAll(this.words, SLOTS);
    return this.busy < 0;
  }

  private runHeld(job: () => void): void {
    try {
      job();
    } finally {
      unlockAll(this.words, SLOTS);
    }
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    // A pending waitAsync does not keep the event loop alive (NODE-NOTES): this ref'd timer does.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    try {
      while (this.queue.length > 0) {
        if (this.acquire()) this.runHeld(this.queue.shift()!);
        else await waitAsyncForChange(this.words, this.busy, RETRY_MS);
      }
    } finally {
      clearInterval(keepAlive);
      this.pumping = false;
    }
  }
}
