import { afterEach, describe, expect, it } from 'vitest';
import { mintPid } from '../../src/messages/ids.js';
import { GC_LOCK_FILE } from '../../src/store/layout.js';
import { Store, capacitiesFor } from '../../src/store/index.js';
import { WorkerGroup, sleepersOn, until, type TestWorker } from './harness.js';
import type { LockHolderData, LockHolderMsg, LockRequest } from './workers/protocol.js';
import { CTL, makeControl } from './workers/shared.mjs';

const group = new WorkerGroup();
afterEach(() => group.terminateAll());

interface Holder {
  readonly worker: TestWorker<LockHolderMsg>;
  /** Makes the holder close its descriptions (dropping its locks). */
  release(): void;
}

function startHolder(store: Store, pid: number, lock: LockRequest): Holder {
  const ctl = makeControl();
  const data: LockHolderData = { sab: store.sab, ctl, pid: mintPid(pid), locks: [lock] };
  const worker = group.spawn<LockHolderMsg>('lockHolder.worker.mjs', data);
  return {
    worker,
    release() {
      const c = new Int32Array(ctl);
      Atomics.store(c, CTL.release, 1);
      Atomics.notify(c, CTL.release);
    },
  };
}

/** Starts threads that block in lockSync on gc.lock; resolves once all of them sleep there. */
async function startSleepers(store: Store, pids: readonly number[], mode: LockRequest['mode']): Promise<Holder[]> {
  const before = sleepersOn(store.sab, GC_LOCK_FILE);
  const hs = pids.map((pid) => startHolder(store, pid, { file: 'gcLock', mode, wait: true }));
  await Promise.all(hs.map((h) => h.worker.next('waiting')));
  await until(`${pids.length} threads sleep on gc.lock`, () => sleepersOn(store.sab, GC_LOCK_FILE) === before + pids.length);
  return hs;
}

describe('lockSync wakes when the holder lets go', () => {
  it('an exclusive waiter wakes when the exclusive holder unlocks', { timeout: 15_000 }, async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const a = startHolder(store, 1, { file: 'gcLock', mode: 'exclusive', wait: false });
    await a.worker.next('locked');
    const [b] = await startSleepers(store, [2], 'exclusive');
    expect(store.flock.lockState(GC_LOCK_FILE)).toBe(-1);

    a.release();
    await a.worker.next('released');
    const { held } = await b!.worker.next('locked');
    expect(store.flock.holders(GC_LOCK_FILE)).toEqual([{ ofd: held[0]!.ofd, owner: 2, file: GC_LOCK_FILE, mode: 'exclusive' }]);
    expect(sleepersOn(store.sab, GC_LOCK_FILE)).toBe(0);
  });

  it('every shared waiter wakes when the exclusive holder unlocks', { timeout: 15_000 }, async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const a = startHolder(store, 1, { file: 'gcLock', mode: 'exclusive', wait: false });
    await a.worker.next('locked');
    const readers = await startSleepers(store, [2, 3, 4], 'shared');

    a.release();
    await Promise.all(readers.map((r) => r.worker.next('locked')));
    expect(store.flock.lockState(GC_LOCK_FILE)).toBe(3);
  });

  it('an exclusive waiter sleeps until the last shared holder unlocks', { timeout: 15_000 }, async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const s1 = startHolder(store, 1, { file: 'gcLock', mode: 'shared', wait: false });
    const s2 = startHolder(store, 2, { file: 'gcLock', mode: 'shared', wait: false });
    await Promise.all([s1.worker.next('locked'), s2.worker.next('locked')]);
    const [w] = await startSleepers(store, [3], 'exclusive');

    s1.release();
    await s1.worker.next('released');
    // The first unlock wakes it; it must find one shared holder left and sleep again.
    await until('the waiter sleeps again', () => sleepersOn(store.sab, GC_LOCK_FILE) === 1);
    expect(store.flock.lockState(GC_LOCK_FILE)).toBe(1);
    s2.release();
    await w!.worker.next('locked');
    expect(store.flock.lockState(GC_LOCK_FILE)).toBe(-1);
  });

  it('a waiter wakes when the holder is terminated and the coordinator releases its locks', { timeout: 15_000 }, async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const a = startHolder(store, 1, { file: 'gcLock', mode: 'exclusive', wait: false });
    await a.worker.next('locked');
    const [b] = await startSleepers(store, [2], 'exclusive');

    await a.worker.terminate();
    expect(store.releaseAllLocksOf(1)).toHaveLength(1);
    await b!.worker.next('locked');
    expect(store.flock.holders(GC_LOCK_FILE).map((h) => h.owner)).toEqual([2]);
  });
});
