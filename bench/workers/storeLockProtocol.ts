/** What store.bench.ts and storeLock.worker.ts exchange. */

/** `store-try`: Flock.tryLock + unlock; `store-sync`: Flock.lockSync + unlock; `raw`: rawLock + rawUnlock. */
export type LockKind = 'store-try' | 'store-sync' | 'raw';

export interface LockWorkerData {
  /** The store (its gc.lock is the lock measured). */
  readonly sab: SharedArrayBuffer;
  /** The raw lock's words (RAW_SLOTS Int32). */
  readonly raw: SharedArrayBuffer;
  /** Trial control (CTL_SLOTS Int32). */
  readonly ctl: SharedArrayBuffer;
  /** The simulated pid owning this thread's open file description on gc.lock. */
  readonly pid: number;
}

/** Int32 slots of the control buffer. */
export const CTL = {
  /** Threads ready for the next trial. */
  ready: 0,
  /** Bumped (and notified) by the main thread to start a trial. */
  go: 1,
  /** Set to 1 by the main thread to end a trial. */
  stop: 2,
} as const;
export const CTL_SLOTS = 3;

/** main → worker */
export interface LockRunMsg {
  readonly type: 'lock.run';
  readonly kind: LockKind;
}

/** worker → main */
export interface LockResultMsg {
  readonly type: 'lock.result';
  /** Acquire+release pairs completed. */
  readonly ops: number;
  /** From the start signal until the thread saw `stop`. */
  readonly ms: number;
  /** tryLock refusals (a 1-thread `store-try` trial must have none). */
  readonly refused: number;
}
