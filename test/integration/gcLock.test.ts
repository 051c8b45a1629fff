import { afterEach, describe, expect, it } from 'vitest';
import { mintPid } from '../../src/messages/ids.js';
import { Store, capacitiesFor } from '../../src/store/index.js';
import { WorkerGroup } from './harness.js';
import type { LockLoopData, LockLoopDoneMsg } from './workers/protocol.js';
import { makeControl } from './workers/shared.mjs';

const group = new WorkerGroup();
afterEach(() => group.terminateAll());

describe('gc.lock under 4 threads', () => {
  it('never lets an exclusive holder overlap another holder (no lost increment, no conflicting holder inside)', async () => {
    const store = Store.create(capacitiesFor({ paths: 64 }));
    const ctl = makeControl();
    const counter = new SharedArrayBuffer(4);
    const threads = 4;
    const iterations = 50_000;
    const workers = Array.from({ length: threads }, (_, i) => {
      const data: LockLoopData = {
        sab: store.sab,
        ctl,
        parties: threads,
        pid: mintPid(100 + i),
        counter,
        iterations,
        exclusiveRatio: 0.4,
        work: 2000,
        seed: 7 + i,
      };
      return group.spawn<LockLoopDoneMsg>('lockLoop.worker.mjs', data);
    });
    const results = await Promise.all(workers.map((w) => w.next('done', 50_000)));

    const sum = (f: (r: LockLoopDoneMsg) => number): number => results.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => r.violations)).toBe(0);
    expect(sum((r) => r.exclusive + r.shared)).toBe(threads * iterations);
    expect(new Int32Array(counter)[0]).toBe(sum((r) => r.exclusive));
    // The run exercised what it claims to: blocking acquisitions happened.
    expect(sum((r) => r.contended)).toBeGreaterThan(0);
    // Every worker closed its description: the lock is free and nobody holds it.
    expect(store.flock.lockState(store.gcLockFile)).toBe(0);
    expect(store.flock.holders()).toEqual([]);
  });
});
