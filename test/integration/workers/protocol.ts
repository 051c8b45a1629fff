// The wire format between each integration test and its worker script: what
// the test passes as workerData, and what the worker posts back. Types only;
// the .mjs workers refer to them from JSDoc. Ids cross as plain numbers: the
// tests hold the src/ brands, the workers the build's (dist/), and each side
// mints its own from the number.

/** Every worker gets the store and a control buffer (see CTL). */
export interface BaseData {
  readonly sab: SharedArrayBuffer;
  readonly ctl: SharedArrayBuffer;
}

// intern.worker.mjs ---------------------------------------------------------

export interface InternData extends BaseData {
  readonly parties: number;
  /** Full store paths; the worker interns all of them in `order`. */
  readonly names: readonly string[];
  readonly order: 'forward' | 'reverse' | 'shuffled';
  readonly seed: number;
}
/** `ids[i]` is the id the worker got for `names[i]`. */
export interface InternedMsg {
  readonly type: 'interned';
  readonly ids: readonly number[];
}

// lockLoop.worker.mjs -------------------------------------------------------

export interface LockLoopData extends BaseData {
  readonly parties: number;
  readonly pid: number;
  /** Int32Array[1] incremented non-atomically under the exclusive lock. */
  readonly counter: SharedArrayBuffer;
  readonly iterations: number;
  /** Probability that an iteration takes the lock exclusive. */
  readonly exclusiveRatio: number;
  /** busyWork rounds inside each critical section. */
  readonly work: number;
  readonly seed: number;
}
export interface LockLoopDoneMsg {
  readonly type: 'done';
  readonly exclusive: number;
  readonly shared: number;
  /** Acquisitions whose first tryLock failed (they went to lockSync). */
  readonly contended: number;
  /** Times a holder saw a conflicting holder inside. */
  readonly violations: number;
  /** Most shared holders seen inside at once (by this worker). */
  readonly maxShared: number;
  /** The busy work's result, posted so the JIT cannot drop the work. */
  readonly sink: number;
}

// lockHolder.worker.mjs -----------------------------------------------------

export interface LockRequest {
  /** `gcLock` is stateDir/gc.lock; `tempRoots` is temproots/<pid> (created if absent). */
  readonly file: 'gcLock' | 'tempRoots';
  readonly mode: 'shared' | 'exclusive';
  /** true: blocking lockSync (posts `waiting` first); false: tryLock, which must succeed. */
  readonly wait: boolean;
}
export interface LockHolderData extends BaseData {
  readonly pid: number;
  readonly locks: readonly LockRequest[];
}
export interface HeldLock {
  readonly ofd: number;
  readonly file: number;
  readonly mode: 'shared' | 'exclusive';
}
/** The holder takes its locks in order, then holds them until CTL.release is signalled. */
export type LockHolderMsg =
  | { readonly type: 'waiting'; readonly file: number }
  | { readonly type: 'locked'; readonly held: readonly HeldLock[] }
  | { readonly type: 'released' };

// closureChurn.worker.mjs ---------------------------------------------------

export interface ClosureChurnData extends BaseData {
  readonly parties: number;
  /** Interned path ids the workers register and invalidate. */
  readonly pool: readonly number[];
  readonly iterations: number;
  readonly seed: number;
}
export interface ChurnStats {
  /** Batches committed. */
  readonly registered: number;
  /** Batches refused: a reference was invalidated between our check and the commit. */
  readonly invalidPath: number;
  /** Batches refused for a cycle (possible when another worker raced us). */
  readonly cycles: number;
  readonly invalidated: number;
  /** Refused: the path still had a valid referrer. */
  readonly inUse: number;
  /** The path was already invalid. */
  readonly notValid: number;
}
export interface ClosureChurnDoneMsg {
  readonly type: 'done';
  readonly stats: ChurnStats;
}
