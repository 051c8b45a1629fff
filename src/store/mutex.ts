/**
 * The store's internal mutexes (intern table, validity DB, directories): a
 * futex-style lock over one Int32 word (Drepper's three-state mutex) that also
 * records its owner, so that it is robust like a robust pthread mutex. A worker
 * thread ended with `terminate()` runs no `finally`: if it died inside a
 * critical section, the word still names it, and whoever learns of the death
 * (the coordinator, on the thread's 'exit') takes it over, repairs, and frees it
 * (`recoverMutexes`).
 *
 * Word: 0 free; otherwise `owner << 1 | c`, where `owner` (≥ 1) is the holding
 * thread's mutex identity and `c` is 1 when other threads may sleep on the
 * word and the holder must notify on unlock.
 *
 * Blocking: a worker thread may sleep in Atomics.wait. The coordinator's thread
 * must never (it alone recovers a dead holder's mutex, and its watchdog must
 * keep running): it declares `mayBlock: false`, takes every store mutex at once
 * without sleeping (`tryLockAll`, retried after `waitAsyncForChange`) and runs
 * its synchronous store calls inside; there, a store call that finds a mutex
 * busy throws MutexWouldBlock instead of hanging.
 */
import { RootraceError } from '../messages/errors.js';
import { STORE_MUTEXES } from './layout.js';

export interface MutexIdentity {
  /** Recorded in the word of every mutex this thread holds: unique per thread of the process, 1..ANONYMOUS_OWNER. */
  readonly owner: number;
  /** May this thread sleep in Atomics.wait? */
  readonly mayBlock: boolean;
}

/** A thread that never said who it is (a test's worker): it may block, and its mutexes cannot be recovered. */
export const ANONYMOUS_OWNER = 0x3fff_ffff;

let me: MutexIdentity = { owner: ANONYMOUS_OWNER, mayBlock: true };
/** Words this thread holds through tryLockAll (by buffer, then byte offset): a nested lock or unlock of one is a no-op. */
const heldByAll = new Map<ArrayBufferLike, Set<number>>();

function heldAll(a: Int32Array, i: number): boolean {
  return heldByAll.size > 0 && heldByAll.get(a.buffer)?.has(a.byteOffset + i * 4) === true;
}

/** Declares who this thread is. Call once at thread start, before any store call. */
export function setMutexIdentity(id: MutexIdentity): void {
  if (!Number.isInteger(id.owner) || id.owner < 1 || id.owner > ANONYMOUS_OWNER) throw new RangeError(`mutex owner must be in 1..${ANONYMOUS_OWNER}, got ${id.owner}`);
  me = id;
}

export function mutexIdentity(): MutexIdentity {
  return me;
}

/** The mutex identity of the thread with this Node `threadId` (the main thread is 0). */
export function ownerOfThread(threadId: number): number {
  return threadId + 1;
}

/** The owner recorded in a mutex word (0 when free). */
export function ownerOfWord(word: number): number {
  return word >>> 1;
}

function nameOf(i: number): string {
  const n = Object.entries(STORE_MUTEXES).find(([, slot]) => slot === i);
  return n ? `${n[0]} mutex` : `mutex in slot ${i}`;
}

/** A thread that must not block found a mutex busy (a coordinator store call outside tryLockAll). */
export class MutexWouldBlock extends RootraceError {
  constructor(
    readonly slot: number,
    readonly holder: number,
  ) {
    super('rootrace.internal', `the store's ${nameOf(slot)} is held by thread owner ${holder}: this thread must not block on it (take the store's mutexes with tryLockAll first)`);
  }
}

const SPINS = 64;

export function mutexLock(a: Int32Array, i: number): void {
  const mine = me.owner << 1;
  // Fast path: 0 -> mine claims the lock with no waiters to wake later.
  let c = Atomics.compareExchange(a, i, 0, mine);
  if (c === 0) return;
  // Ours already: a store call nested in a coordinator job that holds every store mutex (tryLockAll).
  if (heldAll(a, i)) return;
  for (let spin = 0; spin < SPINS; spin++) {
    // A short spin covers the common case of a holder on the other core.
    if (Atomics.load(a, i) === 0) {
      c = Atomics.compareExchange(a, i, 0, mine);
      if (c === 0) return;
    }
  }
  if (!me.mayBlock) throw new MutexWouldBlock(i, ownerOfWord(c));
  for (;;) {
    if (c === 0) {
      // Free: re-acquire as contended, since we cannot know whether others still sleep on it.
      c = Atomics.compareExchange(a, i, 0, mine | 1);
      if (c === 0) return;
      continue;
    }
    if ((c & 1) === 0) {
      // Mark contended before sleeping, so that the holder's unlock notifies.
      const seen = Atomics.compareExchange(a, i, c, c | 1);
      if (seen !== c) {
        c = seen;
        continue;
      }
      c |= 1;
    }
    // Sleep only while the word still holds the marked value: an unlock or a recovery in between changes it.
    Atomics.wait(a, i, c);
    // Woken (or the value differed): re-read who holds it now.
    c = Atomics.load(a, i);
  }
}

function release(a: Int32Array, i: number): void {
  // Release: writes made under the lock are visible to the next holder; a set contended bit means someone may sleep.
  if (Atomics.exchange(a, i, 0) & 1) Atomics.notify(a, i, 1);
}

export function mutexUnlock(a: Int32Array, i: number): void {
  // Held by tryLockAll around a coordinator job: released by unlockAll, not by the nested call.
  if (heldAll(a, i)) return;
  release(a, i);
}

/**
 * Takes every mutex of `slots` without sleeping, all or none: returns -1 when
 * all are held (release with `unlockAll`), or else the first slot found busy
 * (nothing is held then). All or none, because holding some while waiting for
 * the rest could deadlock with a thread that takes two of them in another order.
 */
export function tryLockAll(a: Int32Array, slots: readonly number[]): number {
  // Taken as contended (`| 1`), as a woken sleeper re-takes it in mutexLock: a caller that waited
  // (waitAsyncForChange) shares one waiter queue with the threads asleep in Atomics.wait, and the
  // holder's unlock wakes only one of them. If that one is this caller, the unlock that ends its
  // job must wake the next, or a thread sleeps on a free word for ever (seen: a threads run of
  // pr-15158 × 8 evaluators on nix-2.35 reported as a deadlock, the directory mutex free).
  const mine = (me.owner << 1) | 1;
  for (let k = 0; k < slots.length; k++) {
    if (Atomics.compareExchange(a, slots[k]!, 0, mine) !== 0) {
      for (let j = 0; j < k; j++) release(a, slots[j]!);
      return slots[k]!;
    }
  }
  const words = heldByAll.get(a.buffer) ?? heldByAll.set(a.buffer, new Set()).get(a.buffer)!;
  for (const i of slots) words.add(a.byteOffset + i * 4);
  return -1;
}

export function unlockAll(a: Int32Array, slots: readonly number[]): void {
  const words = heldByAll.get(a.buffer);
  for (const i of slots) {
    words?.delete(a.byteOffset + i * 4);
    release(a, i);
  }
  if (words?.size === 0) heldByAll.delete(a.buffer);
}

/**
 * For a thread that must not block: a promise that settles when the busy mutex
 * in `slot` may have changed hands (or after `timeoutMs`). The word is marked
 * contended first, so the holder's unlock notifies. A pending waitAsync does not
 * keep Node's event loop alive: the caller holds a ref'd handle while it waits.
 */
export function waitAsyncForChange(a: Int32Array, i: number, timeoutMs: number): Promise<unknown> {
  // Free already: the caller retries at once.
  let c = Atomics.load(a, i);
  if (c === 0) return Promise.resolve();
  if ((c & 1) === 0) {
    // Mark contended so that the unlock notifies; a failed mark means the word just changed: retry now.
    if (Atomics.compareExchange(a, i, c, c | 1) !== c) return Promise.resolve();
    c |= 1;
  }
  // Wakes on the holder's notify or a recovery's; returns at once if the word already differs.
  const r = Atomics.waitAsync(a, i, c, timeoutMs);
  return r.async ? r.value : Promise.resolve();
}

/**
 * The robust part: thread `owner` died. Each mutex of `slots` whose word still
 * names it is taken over by this thread (as a robust pthread mutex's next
 * owner gets EOWNERDEAD), `repair(slot)` runs while it is held — nobody else is
 * inside, so it may make the state its dead holder cut consistent — and it is
 * then released, waking a sleeper; every sleeper on each of `slots` is woken
 * first, in case the dead thread took the wakeup an unlock gave. Returns the
 * slots recovered.
 */
export function recoverMutexes(a: Int32Array, slots: readonly number[], owner: number, repair: (slot: number) => void = () => undefined): number[] {
  if (owner === ANONYMOUS_OWNER || owner === me.owner) return [];
  const mine = me.owner << 1;
  const freed: number[] = [];
  for (const i of slots) {
    // The dead thread may have been the sleeper an unlock woke, taking that wakeup with it:
    // wake every sleeper to look again (a spurious wakeup only makes one re-check the word).
    Atomics.notify(a, i);
    // Loop while the word still names the dead owner (a sleeper may set the contended bit meanwhile).
    for (let c = Atomics.load(a, i); c !== 0 && ownerOfWord(c) === owner; c = Atomics.load(a, i)) {
      // Take over only the dead owner's word, keeping its contended bit so that our release wakes a sleeper.
      if (Atomics.compareExchange(a, i, c, mine | (c & 1)) === c) {
        try {
          repair(i);
        } finally {
          release(a, i);
        }
        freed.push(i);
        break;
      }
    }
  }
  return freed;
}
