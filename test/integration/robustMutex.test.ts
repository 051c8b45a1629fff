/**
 * The store's internal mutexes are robust: a thread terminated inside a
 * critical section (terminate() runs no `finally`) leaves its mutex naming it;
 * the coordinator's recovery on the thread's 'exit' frees it, and the threads
 * that were sleeping on it — and the coordinator, which never sleeps on it —
 * go on. Real worker threads; the main thread plays the coordinator.
 */
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mintPid } from '../../src/messages/ids.js';
import { Store, capacitiesFor } from '../../src/store/index.js';
import { H, STORE_MUTEXES, headerOf } from '../../src/store/layout.js';
import { ANONYMOUS_OWNER, MutexWouldBlock, ownerOfThread, ownerOfWord, setMutexIdentity, tryLockAll, unlockAll, waitAsyncForChange } from '../../src/store/mutex.js';
import { recoverStoreMutexes } from '../../src/store/recovery.js';
import { StoreGate } from '../../src/runtime/threads/storeGate.js';
import { WorkerGroup } from './harness.js';
import { CTL, makeControl } from './workers/shared.mjs';

type HolderMsg = { readonly type: 'locked'; readonly owner: number } | { readonly type: 'released' };
type ReaderMsg = { readonly type: 'started' } | { readonly type: 'listed'; readonly files: number };

const group = new WorkerGroup();
// The test's thread is the coordinator: it must never sleep on a store mutex.
beforeEach(() => setMutexIdentity({ owner: ownerOfThread(threadId), mayBlock: false }));
afterEach(async () => {
  setMutexIdentity({ owner: ANONYMOUS_OWNER, mayBlock: true });
  await group.terminateAll();
});

/** Until a sleeper has marked the word contended (it does so just before Atomics.wait). */
async function untilContended(word: Int32Array, slot: number): Promise<void> {
  while ((Atomics.load(word, slot) & 1) === 0) await new Promise((r) => setImmediate(r));
}

describe('a thread terminated inside a store mutex', () => {
  it('does not wedge the threads sleeping on it nor the coordinator', async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    store.tempRoots.openOrCreate(mintPid(7), 7); // temproots/7, for the readers to list
    const header = headerOf(store.sab);
    const holder = group.spawn<HolderMsg>('mutexHolder.worker.mjs', { sab: store.sab, ctl: makeControl(), slot: H.dirLock });
    const { owner } = await holder.next('locked');
    expect(ownerOfWord(Atomics.load(header, H.dirLock))).toBe(owner);

    // Another thread needs the directory mutex and sleeps on it.
    const reader = group.spawn<ReaderMsg>('storeReader.worker.mjs', { sab: store.sab });
    await reader.next('started');
    await untilContended(header, H.dirLock);

    // The coordinator's thread: a direct store call refuses to block; through the gate the job waits asynchronously.
    expect(() => store.tempRoots.list()).toThrow(MutexWouldBlock);
    const gate = new StoreGate(store.sab);
    let listed: number | null = null;
    const done = new Promise<void>((resolve) =>
      gate.run(() => {
        listed = store.tempRoots.list().length;
        resolve();
      }),
    );
    expect(listed).toBeNull();
    expect(gate.waiting).toBe(1);
    await new Promise((r) => setImmediate(r)); // and this thread's event loop still turns

    // kill -9 inside the critical section: the word still names the dead thread until the recovery.
    expect(await holder.terminate()).toBe(1);
    expect(ownerOfWord(Atomics.load(header, H.dirLock))).toBe(owner);
    expect(recoverStoreMutexes(store.sab, owner)).toEqual(['dir']);

    expect((await reader.next('listed')).files).toBe(1);
    await done;
    expect(listed).toBe(1);
    expect(gate.waiting).toBe(0);
    expect(Atomics.load(header, H.dirLock)).toBe(0);
    // The coordinator's direct calls work again once nobody holds the mutex.
    expect(store.tempRoots.list()).toHaveLength(1);
  });

  it('frees only mutexes whose holder died', async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const header = headerOf(store.sab);
    const ctl = makeControl();
    const holder = group.spawn<HolderMsg>('mutexHolder.worker.mjs', { sab: store.sab, ctl, slot: H.internLock });
    const { owner } = await holder.next('locked');
    // Another thread's death (or the right thread's death, asked about the wrong mutex) frees nothing.
    expect(recoverStoreMutexes(store.sab, owner + 1)).toEqual([]);
    expect(ownerOfWord(Atomics.load(header, H.internLock))).toBe(owner);
    expect(() => store.intern('/nix/store/00000000000000000000000000000000-x')).toThrow(MutexWouldBlock);
    // The live holder unlocks normally.
    const c = new Int32Array(ctl);
    Atomics.store(c, CTL.release, 1);
    Atomics.notify(c, CTL.release);
    await holder.next('released');
    expect(Atomics.load(header, H.internLock)).toBe(0);
    expect(recoverStoreMutexes(store.sab, owner)).toEqual([]);
  });

  it("does not let the coordinator's wait take a sleeper's wakeup", async () => {
    // The coordinator's waitAsync and a worker's Atomics.wait queue on one word, and an unlock
    // wakes one of them. Queued first, the coordinator takes the wakeup; its job's unlock must
    // wake the worker, or the worker sleeps on a free word for ever (a threads run reported as
    // a deadlock, once in 30 pr-15158 runs × 8 evaluators on nix-2.35 under load, before the fix).
    const store = Store.create(capacitiesFor({ paths: 64 }));
    store.tempRoots.openOrCreate(mintPid(7), 7);
    const header = headerOf(store.sab);
    const ctl = makeControl();
    const holder = group.spawn<HolderMsg>('mutexHolder.worker.mjs', { sab: store.sab, ctl, slot: H.dirLock });
    await holder.next('locked');
    // What the gate does while a mutex is busy, with one long wait (the gate re-polls every 20 ms).
    const woken = waitAsyncForChange(header, H.dirLock, 60_000); // queued on the word first
    const reader = group.spawn<ReaderMsg>('storeReader.worker.mjs', { sab: store.sab });
    await reader.next('started');
    // The reader spins 64 times and then sleeps; give it time to be asleep behind the coordinator.
    await new Promise((r) => setTimeout(r, 300));
    const c = new Int32Array(ctl);
    Atomics.store(c, CTL.release, 1);
    Atomics.notify(c, CTL.release);
    await holder.next('released');
    await woken;
    expect(tryLockAll(header, Object.values(STORE_MUTEXES))).toBe(-1);
    unlockAll(header, Object.values(STORE_MUTEXES));
    expect((await reader.next('listed', 5_000)).files).toBe(1);
    expect(Atomics.load(header, H.dirLock)).toBe(0);
  });
});
