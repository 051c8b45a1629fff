import { afterEach, describe, expect, it } from 'vitest';
import { Store, capacitiesFor, makeSourcePath } from '../../src/store/index.js';
import { WorkerGroup } from './harness.js';
import type { ClosureChurnData, ClosureChurnDoneMsg } from './workers/protocol.js';
import { makeControl } from './workers/shared.mjs';

const group = new WorkerGroup();
afterEach(() => group.terminateAll());

describe('validity DB under 4 threads registering and invalidating', () => {
  it('keeps the closure invariant throughout', { timeout: 60_000 }, async () => {
    const POOL = 400;
    const store = Store.create(capacitiesFor({ paths: POOL + 16, edges: POOL * 16 }));
    const pool = Array.from({ length: POOL }, (_, i) => store.intern(makeSourcePath(`churn-${i}`, String(i))));
    const ctl = makeControl();
    const threads = 4;
    const workers = Array.from({ length: threads }, (_, i) => {
      const data: ClosureChurnData = { sab: store.sab, ctl, parties: threads, pool, iterations: 40_000, seed: 31 + i };
      return group.spawn<ClosureChurnDoneMsg>('closureChurn.worker.mjs', data);
    });

    let finished = false;
    const done = Promise.all(workers.map((w) => w.next('done', 55_000))).finally(() => {
      finished = true;
    });
    done.catch(() => undefined); // awaited below; if a check throws first, afterEach ends the workers
    // Check while the workers run, in bursts; yielding between bursts lets 'done' arrive.
    let checks = 0;
    while (!finished) {
      for (let k = 0; k < 20; k++, checks++) expect(store.findClosureViolation()).toBeNull();
      await new Promise((r) => setTimeout(r, 1));
    }
    const stats = (await done).map((m) => m.stats);

    expect(store.findClosureViolation()).toBeNull();
    expect(checks).toBeGreaterThan(0);
    // Real churn happened in every worker, not a store that froze full or empty.
    for (const s of stats) {
      expect(s.registered).toBeGreaterThan(1000);
      expect(s.invalidated).toBeGreaterThan(1000);
    }
    // The DB's own bookkeeping agrees with its contents.
    const valid = store.db.validPaths();
    expect(store.db.validCount()).toBe(valid.length);
    for (const p of valid) {
      for (const r of store.db.references(p)) expect(store.db.referrers(r)).toContain(p);
    }
  });
});
