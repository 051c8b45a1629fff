/**
 * A futex-style mutex over one Int32 slot (Drepper's three-state mutex):
 * 0 unlocked, 1 locked, 2 locked with possible waiters. Used for the store's
 * internal critical sections (intern table, validity DB, directories), which are
 * short and synchronous. Blocking uses Atomics.wait, which Node allows on every
 * thread; the sections are a few microseconds, so the main thread never stalls
 * for long.
 */
export function mutexLock(a: Int32Array, i: number): void {
  // Fast path: 0 -> 1 claims the lock with no waiters to wake later.
  let c = Atomics.compareExchange(a, i, 0, 1);
  if (c === 0) return;
  for (let spin = 0; spin < 64; spin++) {
    // A short spin covers the common case of a holder on the other core.
    if (Atomics.load(a, i) === 0) {
      c = Atomics.compareExchange(a, i, 0, 1);
      if (c === 0) return;
    }
  }
  do {
    // Mark contended (2) before sleeping so the holder knows to notify.
    if (c === 2 || Atomics.compareExchange(a, i, 1, 2) !== 0) Atomics.wait(a, i, 2);
    // Re-acquire as contended: we cannot know whether others still wait.
  } while ((c = Atomics.compareExchange(a, i, 0, 2)) !== 0);
}

export function mutexUnlock(a: Int32Array, i: number): void {
  // 1 -> 0 needs no wake-up; 2 means someone may sleep on the slot.
  if (Atomics.sub(a, i, 1) !== 1) {
    Atomics.store(a, i, 0);
    Atomics.notify(a, i, 1);
  }
}
