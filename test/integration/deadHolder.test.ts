import { afterEach, describe, expect, it } from 'vitest';
import { mintPid } from '../../src/messages/ids.js';
import { Store, capacitiesFor } from '../../src/store/index.js';
import { WorkerGroup } from './harness.js';
import type { LockHolderData, LockHolderMsg } from './workers/protocol.js';
import { makeControl } from './workers/shared.mjs';

const group = new WorkerGroup();
afterEach(() => group.terminateAll());

describe('a thread terminated while holding flocks', () => {
  it('keeps its locks until the coordinator releases them, then another description can take both', async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const pid = mintPid(42);
    const data: LockHolderData = {
      sab: store.sab,
      ctl: makeControl(),
      pid,
      locks: [
        { file: 'tempRoots', mode: 'exclusive', wait: false },
        { file: 'gcLock', mode: 'shared', wait: false },
      ],
    };
    const holder = group.spawn<LockHolderMsg>('lockHolder.worker.mjs', data);
    const { held } = await holder.next('locked');
    const tempFile = held[0]!.file;

    // Killed inside Atomics.wait: no `finally` in the worker runs, so nothing was unlocked.
    expect(await holder.terminate()).toBe(1);
    const other = mintPid(43);
    const gc = store.flock.open(other, store.gcLockFile);
    const temp = store.tempRoots.openExisting(other, pid);
    expect(temp).not.toBeNull();
    expect(store.flock.tryLock(gc, 'exclusive')).toBe(false);
    expect(store.flock.tryLock(temp!, 'exclusive')).toBe(false);

    // What the kernel does when the process dies; the coordinator does it on 'exit'.
    const released = store.releaseAllLocksOf(pid);
    expect([...released].sort((a, b) => a.file - b.file)).toEqual([
      { ofd: held[1]!.ofd, owner: pid, file: store.gcLockFile, mode: 'shared' },
      { ofd: held[0]!.ofd, owner: pid, file: tempFile, mode: 'exclusive' },
    ]);
    expect(store.flock.ofdsOf(pid)).toEqual([]);

    // The GC's stale-file test: a try-lock on temproots/<pid> now succeeds.
    expect(store.flock.tryLock(temp!, 'exclusive')).toBe(true);
    expect(store.flock.tryLock(gc, 'exclusive')).toBe(true);
    expect(store.tempRoots.exists(pid)).toBe(true); // the file outlives its process
  });
});
