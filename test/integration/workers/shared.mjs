// @ts-check
// Runtime helpers shared by the integration-test workers and their tests.
// Plain ESM: Node 20 cannot start a .ts worker, so workers are .mjs and import
// the compiled store from dist/. Types live in shared.d.mts.

/** Slots of the control buffer (`ctl`) a test shares with its workers. */
export const CTL = {
  /** Barrier: workers that have arrived. */
  arrived: 0,
  /** lockLoop: threads inside an exclusive critical section of gc.lock. */
  exclusiveInside: 1,
  /** lockLoop: threads inside a shared critical section of gc.lock. */
  sharedInside: 2,
  /** lockHolder: set to 1 (and notified) to make the holder unlock. */
  release: 3,
};
export const CTL_SLOTS = 4;

/** A fresh control buffer. */
export function makeControl() {
  return new SharedArrayBuffer(CTL_SLOTS * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Blocks until `parties` threads have arrived, so the workers start hammering
 * together instead of one by one as they finish starting up (~30 ms each).
 *
 * @param {Int32Array} ctl
 * @param {number} parties
 */
export function barrier(ctl, parties) {
  const arrived = Atomics.add(ctl, CTL.arrived, 1) + 1;
  // The last arrival wakes everyone; the others sleep on the count they saw, so
  // an arrival between their load and their wait makes the wait return at once.
  if (arrived === parties) Atomics.notify(ctl, CTL.arrived);
  for (let v = arrived; v < parties; v = Atomics.load(ctl, CTL.arrived)) Atomics.wait(ctl, CTL.arrived, v);
}

/**
 * Blocks until the main thread stores a non-zero value in `ctl[slot]` and notifies.
 *
 * @param {Int32Array} ctl
 * @param {number} slot
 */
export function awaitSignal(ctl, slot) {
  while (Atomics.load(ctl, slot) === 0) Atomics.wait(ctl, slot, 0);
}

/**
 * mulberry32: a small seeded PRNG (runs must replay; Math.random is banned).
 *
 * @param {number} seed
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates, in place.
 *
 * @template T
 * @param {T[]} items
 * @param {() => number} rand
 */
export function shuffle(items, rand) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = /** @type {T} */ (items[i]);
    items[i] = /** @type {T} */ (items[j]);
    items[j] = t;
  }
  return items;
}

/**
 * A little work the JIT cannot drop (about 1 ns a round); widens race windows.
 *
 * @param {number} rounds
 */
export function busyWork(rounds) {
  let x = rounds;
  for (let i = 0; i < rounds; i++) x = (Math.imul(x, 0x01000193) ^ i) | 0;
  return x;
}
