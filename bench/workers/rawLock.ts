/**
 * The baseline the store's flock is measured against: the plainest correct
 * lock over shared memory. A CAS 0 → 1 takes it; contended, a thread counts
 * itself as a waiter and sleeps on the word (futex-style); unlock stores 0 and
 * wakes one sleeper if any counted themselves. Same shape as Flock's
 * exclusive lock, without the open-file-description bookkeeping.
 */

/** Int32 slots of the raw lock's buffer. */
export const RAW = { word: 0, waiters: 1 } as const;
export const RAW_SLOTS = 2;

export function rawLock(a: Int32Array): void {
  // Fast path: uncontended 0 -> 1.
  if (Atomics.compareExchange(a, RAW.word, 0, 1) === 0) return;
  // Count ourselves before re-checking, so an unlock that stores 0 after our
  // count sees it and notifies; one before it lets our CAS succeed.
  Atomics.add(a, RAW.waiters, 1);
  while (Atomics.compareExchange(a, RAW.word, 0, 1) !== 0) Atomics.wait(a, RAW.word, 1);
  Atomics.sub(a, RAW.waiters, 1);
}

export function rawUnlock(a: Int32Array): void {
  // Release: the store publishes the critical section's writes to the next holder.
  Atomics.store(a, RAW.word, 0);
  if (Atomics.load(a, RAW.waiters) > 0) Atomics.notify(a, RAW.word, 1);
}
