/**
 * Recovering a store mutex whose holder died (recovery.ts): the recovery takes
 * the mutex over, repairs what the cut critical section may have left, and
 * frees it. States are built by hand: what a thread terminated at the worst
 * point of each section leaves.
 */
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/store/index.js';
import { H, PathField as P, headerOf, mapLayout, readCapacities } from '../../../src/store/layout.js';
import { recoverStoreMutexes, storeMutexHolders } from '../../../src/store/recovery.js';
import { newStore, textPath } from './helpers.js';

const DEAD = 41;
const word = (owner: number, contended = false): number => (owner << 1) | (contended ? 1 : 0);

describe('store mutex recovery', () => {
  it('an intern cut between publishing the count and the bucket head is rolled forward: one name, one id', () => {
    const store = newStore();
    const name = textPath('cut');
    const id = store.intern(name);
    const L = mapLayout(store.sab, readCapacities(store.sab));
    // Undo the bucket store, as if the thread died right after `pathCount`, holding the mutex.
    const b = L.paths[P.hash]![id]! & (L.hashBuckets - 1);
    L.buckets[b] = L.paths[P.next]![id]!;
    headerOf(store.sab)[H.internLock] = word(DEAD, true);
    expect(Store.attach(store.sab).paths.lookup(name)).toBe(-1); // unreachable: a new intern would mint a second id
    expect(storeMutexHolders(store.sab)).toEqual([{ mutex: 'intern', owner: DEAD }]);

    expect(recoverStoreMutexes(store.sab, DEAD)).toEqual(['intern']);
    expect(Atomics.load(headerOf(store.sab), H.internLock)).toBe(0);
    const again = Store.attach(store.sab); // a fresh handle: no per-handle cache, the shared table answers
    expect(again.paths.lookup(name)).toBe(id);
    expect(again.intern(name)).toBe(id);
    expect(again.paths.count()).toBe(id + 1);
  });

  it('a DB transaction cut before its counters: the valid count is recomputed and the generation bumped', () => {
    const store = newStore();
    const p = store.intern(textPath('a'));
    store.db.registerValidPaths([{ path: p, references: [] }]);
    const h = headerOf(store.sab);
    h[H.validCount] = 7; // a stale figure
    const generation = store.db.generation();
    h[H.dbLock] = word(DEAD);
    expect(recoverStoreMutexes(store.sab, DEAD)).toEqual(['db']);
    expect(store.db.validCount()).toBe(1);
    expect(store.db.generation()).toBe(generation + 1);
    expect(h[H.dbLock]).toBe(0);
  });

  it('leaves alone a mutex held by a live thread, and a free one', () => {
    const store = newStore();
    const h = headerOf(store.sab);
    h[H.dirLock] = word(DEAD + 1, true);
    expect(recoverStoreMutexes(store.sab, DEAD)).toEqual([]);
    expect(h[H.dirLock]).toBe(word(DEAD + 1, true));
    expect(h[H.internLock]).toBe(0);
  });
});
