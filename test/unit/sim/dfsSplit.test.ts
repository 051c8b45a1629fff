/**
 * A parallel DFS (explore --jobs) cuts the tree at a choice point and deals
 * the nodes there to its shares (strategies/dfs.ts DfsSplit: by a hash here;
 * first come with shared claims, which the last test runs one share after
 * another). On
 * three hand-made actors, at every cut depth and share count, with and
 * without a preemption bound: without reduction the shares' schedules are
 * disjoint and together exactly the sequential search's; with reduction they
 * cover the same traces.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/runtime/sim/kernel.js';
import { DfsExplorer, type DfsSplit } from '../../../src/runtime/sim/strategies/dfs.js';
import { startToyActors, type ToyStep } from './toyActors.js';

const ACTORS: readonly (readonly [string, readonly ToyStep[]])[] = [
  ['A', [['obj:x', 'w'], ['obj:y', 'w']]],
  ['B', [['obj:z', 'w'], ['obj:x', 'r']]],
  ['C', [['obj:y', 'r'], ['obj:z', 'w']]],
];

async function search(bound: number, prune: boolean | null, split: DfsSplit | null): Promise<{ schedules: string[]; traces: Set<string>; skipped: number }> {
  const dfs = new DfsExplorer(bound, null, prune === null ? null : { prune }, split);
  const schedules: string[] = [];
  for (let run = dfs.nextRun(); run; run = dfs.nextRun()) {
    const k: Kernel = new Kernel(run, 1000, { stuck: () => k.finish() });
    startToyActors(k, ACTORS);
    await k.run();
    if (!k.pruned && run.ours) schedules.push(k.decisions.map((d) => `${d.actor}${d.seq}`).join(' '));
    dfs.endRun(run);
  }
  return { schedules, traces: new Set(dfs.traceKeys), skipped: dfs.skippedRuns };
}

describe('parallel DFS: shares of a cut tree', () => {
  it.each([1, Infinity])('bound %s: without reduction the shares are disjoint and together the whole search, at every cut', async (bound) => {
    const whole = await search(bound, null, null);
    expect(whole.schedules.length).toBeGreaterThan(20);
    expect(new Set(whole.schedules).size).toBe(whole.schedules.length);
    const sharedAt: string[] = [];
    for (const of of [2, 3]) {
      for (const depth of [0, 1, 2, 3, 5, 50]) {
        const shares = await Promise.all(Array.from({ length: of }, (_, index) => search(bound, null, { of, index, depth })));
        const all = shares.flatMap((s) => s.schedules);
        expect(all.length, `of ${of}, cut at ${depth}`).toBe(whole.schedules.length);
        expect(new Set(all)).toEqual(new Set(whole.schedules));
        // A cut at the root gives everything to one share; one below every run's last choice point leaves it to share 0.
        if (depth === 0) expect(shares.filter((s) => s.schedules.length > 0)).toHaveLength(1);
        else if (depth === 50) expect(shares[0]!.schedules.length).toBe(whole.schedules.length);
        else if (shares.filter((s) => s.schedules.length > 0).length > 1) sharedAt.push(`${of}@${depth}`);
      }
    }
    // Dealt by hash, a cut with few nodes may give them all to one share; deeper cuts share the work.
    expect(sharedAt.length).toBeGreaterThan(4);
  });

  it.each([1, Infinity])('bound %s: with reduction the shares cover the sequential search\'s traces', async (bound) => {
    const whole = await search(bound, true, null);
    const counted = await search(bound, false, null);
    expect(whole.traces).toEqual(counted.traces);
    for (const depth of [0, 1, 2, 4]) {
      const shares = await Promise.all([0, 1].map((index) => search(bound, true, { of: 2, index, depth })));
      expect(new Set(shares.flatMap((s) => [...s.traces])), `cut at ${depth}`).toEqual(whole.traces);
      expect(shares.some((s) => s.skipped > 0)).toBe(true);
    }
  });

  it('with shared claims, shares that run one after the other still cover the search: the first takes every node it meets', async () => {
    const whole = await search(1, null, null);
    const claims = new Int32Array(new SharedArrayBuffer(4 * 64));
    const first = await search(1, null, { of: 2, index: 0, depth: 2, claims });
    const second = await search(1, null, { of: 2, index: 1, depth: 2, claims });
    expect(first.schedules).toEqual(whole.schedules);
    expect(second.schedules).toEqual([]);
    expect(second.skipped).toBeGreaterThan(0);
    // Claims taken by share 1 first: share 0 then does only the runs that end above the cut.
    const c2 = new Int32Array(new SharedArrayBuffer(4 * 64));
    const b = await search(1, null, { of: 2, index: 1, depth: 2, claims: c2 });
    const a = await search(1, null, { of: 2, index: 0, depth: 2, claims: c2 });
    expect(new Set([...a.schedules, ...b.schedules])).toEqual(new Set(whole.schedules));
    expect(a.schedules.length + b.schedules.length).toBe(whole.schedules.length);
  });
});
