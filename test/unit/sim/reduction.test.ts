/**
 * Partial-order reduction: trace keys (Foata normal form) are equal exactly for
 * equivalent step sequences; on two hand-made actors whose traces can be
 * counted by hand, DFS counts them and the reduction runs one schedule per
 * trace, losing none under a preemption bound; on pr-15158 the findings are the
 * same with and without it, and the unbounded search ends exhaustive.
 */
import { describe, expect, it } from 'vitest';
import { FootprintRecorder, TraceKey, dependent, type Footprint } from '../../../src/runtime/sim/footprint.js';
import { Kernel } from '../../../src/runtime/sim/kernel.js';
import { startToyActors } from './toyActors.js';
import { DfsExplorer } from '../../../src/runtime/sim/strategies/dfs.js';
import { StateTable } from '../../../src/runtime/sim/stateTable.js';
import { explore, type ReductionMode } from '../../../src/runtime/sim/explore.js';
import { openScenario, profileByName } from '../../../src/scenarios/index.js';

const fp = (...entries: [string, 'r' | 'w' | 'i'][]): Footprint => new Map(entries);
const keyOf = (steps: [string, Footprint][]): string => {
  const t = new TraceKey();
  for (const [id, f] of steps) t.add(id, f);
  return t.key;
};

describe('footprints and trace keys', () => {
  const a: [string, Footprint] = ['a', fp(['obj:x', 'w'])];
  const b: [string, Footprint] = ['b', fp(['obj:y', 'w'])];
  const c: [string, Footprint] = ['c', fp(['obj:x', 'r'])];

  it('swapping independent steps keeps the trace; swapping dependent ones changes it', () => {
    expect(dependent(a[1], b[1])).toBe(false);
    expect(dependent(a[1], c[1])).toBe(true);
    expect(keyOf([a, b, c])).toBe(keyOf([b, a, c]));
    expect(keyOf([a, c, b])).toBe(keyOf([b, a, c]));
    expect(keyOf([a, c])).not.toBe(keyOf([c, a]));
  });

  it('reads commute, increments commute, a read and an increment do not; a whole class conflicts with its members', () => {
    const r = fp(['n:1', 'r']);
    const i = fp(['n:1', 'i']);
    expect(dependent(r, r)).toBe(false);
    expect(dependent(i, i)).toBe(false);
    expect(dependent(r, i)).toBe(true);
    expect(dependent(fp(['valid:*', 'r']), fp(['valid:7', 'w']))).toBe(true);
    expect(dependent(fp(['valid:*', 'r']), fp(['refs:7', 'w']))).toBe(false);
    expect(keyOf([['p', i], ['q', i]])).toBe(keyOf([['q', i], ['p', i]]));
    expect(keyOf([['p', r], ['q', i]])).not.toBe(keyOf([['q', i], ['p', r]]));
  });
});

describe('the footprint recorder', () => {
  it('merges one step\'s accesses (a read and an increment make a write, a write stays), records nothing paused or before a step, and keeps steps apart', () => {
    const rec = new FootprintRecorder();
    rec.read('obj:early'); // before any step
    rec.begin();
    rec.read('n:1');
    rec.increment('n:1');
    rec.read('n:2');
    rec.read('n:2');
    rec.increment('n:3');
    rec.increment('n:3');
    rec.write('n:4');
    rec.read('n:4');
    rec.pause(() => rec.write('n:5'));
    rec.begin();
    rec.read('n:1');
    expect(rec.stepCount).toBe(2);
    expect(rec.step(0)).toEqual(fp(['n:1', 'w'], ['n:2', 'r'], ['n:3', 'i'], ['n:4', 'w']));
    expect(rec.step(1)).toEqual(fp(['n:1', 'r']));
  });

  it('a recorded step adds to a trace as its footprint does', () => {
    const rec = new FootprintRecorder();
    const steps: Footprint[] = [fp(['obj:x', 'w'], ['valid:*', 'r']), fp(['obj:y', 'i']), fp(['valid:3', 'w'], ['obj:x', 'r'])];
    for (const f of steps) {
      rec.begin();
      for (const [k, a] of f) {
        if (a === 'w') rec.write(k);
        else if (a === 'r') rec.read(k);
        else rec.increment(k);
      }
    }
    // Step identities: actor, park number, label, and the crash if any.
    const a = new TraceKey();
    steps.forEach((_f, k) => a.addStep('A', k, `s${k}`, null, rec, k));
    expect(a.length).toBe(3);
    steps.forEach((f, k) => expect(rec.step(k)).toEqual(f));
    // Reordering the independent first two steps keeps the trace; a crash makes another step.
    const d = new TraceKey();
    d.addStep('A', 1, 's1', null, rec, 1);
    d.addStep('A', 0, 's0', null, rec, 0);
    d.addStep('A', 2, 's2', null, rec, 2);
    expect(d.key).toBe(a.key);
    const e = new TraceKey();
    e.addStep('A', 0, 's0', 'SIGKILL', rec, 0);
    e.addStep('A', 1, 's1', null, rec, 1);
    e.addStep('A', 2, 's2', null, rec, 2);
    expect(e.key).not.toBe(a.key);
    // s1 and s2 are independent too; s0 and s2 are not (obj:x, and valid:3 within valid:*).
    const order = (...ks: number[]): string => {
      const t = new TraceKey();
      for (const k of ks) t.addStep('A', k, `s${k}`, null, rec, k);
      return t.key;
    };
    expect(order(0, 2, 1)).toBe(a.key);
    expect(order(2, 0, 1)).not.toBe(a.key);
    expect(order(1, 2, 0)).not.toBe(a.key);
  });

  it('search states differ by clock, crashes and (bounded) the last actor and process', () => {
    const t = new TraceKey();
    t.add('a', fp(['obj:x', 'w']));
    const s = (now: number, crashes: number, prev: { actor: string | null; group: string | null } | null) => t.searchState(now, crashes, prev).join(',');
    const all = [s(5, 0, null), s(6, 0, null), s(5, 1, null), s(5, 0, { actor: 'E1', group: 'g' }), s(5, 0, { actor: 'E2', group: 'g' }), s(5, 0, { actor: 'E1', group: 'h' }), s(5, 0, { actor: null, group: null }), s(2 ** 33 + 5, 0, null)];
    expect(new Set(all).size).toBe(all.length);
    expect(s(5, 0, { actor: 'E1', group: 'g' })).toBe(s(5, 0, { actor: 'E1', group: 'g' }));
  });
});

describe('StateTable', () => {
  it('keeps every state through its growth, updates in place, and past its bound remembers no new state', () => {
    const t = new StateTable(5000, 4);
    for (let i = 0; i < 5000; i++) t.set(i, -i, i * 7, 1, i % 3);
    expect(t.size).toBe(5000);
    expect(t.full).toBe(false);
    for (let i = 0; i < 5000; i++) expect(t.get(i, -i, i * 7, 1)).toBe(i % 3);
    expect(t.get(1, -1, 7, 2)).toBeUndefined(); // differs in one word only
    t.set(10, -10, 70, 1, 0);
    expect(t.get(10, -10, 70, 1)).toBe(0);
    t.set(9999, 0, 0, 0, 1);
    expect(t.full).toBe(true);
    expect(t.get(9999, 0, 0, 0)).toBeUndefined();
    expect(t.size).toBe(5000);
  });

  it('state words: equal for the same trace and extra, different when either differs', () => {
    const t = new TraceKey();
    t.add('a', fp(['obj:x', 'w']));
    const u = new TraceKey();
    u.add('a', fp(['obj:x', 'w']));
    expect(t.stateWords('1|0')).toEqual(u.stateWords('1|0'));
    expect(t.stateWords('1|0')).not.toEqual(t.stateWords('2|0'));
    u.add('b', fp(['obj:y', 'w']));
    expect(t.stateWords('1|0')).not.toEqual(u.stateWords('1|0'));
  });
});

/**
 * A writes x then y; B writes z then reads x. Only A's first step and B's
 * second conflict, so the traces are two: A1 before B2, or B2 (hence B1) before
 * A1. Each actor's end is a decision too: 6!/(3!·3!) = 20 schedules.
 */
async function searchTwoActors(bound: number, prune: boolean, maxStates?: number): Promise<{ schedules: number; traces: number | null; pruned: number; keys: Set<string>; full: boolean }> {
  const dfs = new DfsExplorer(bound, null, { prune, ...(maxStates !== undefined ? { maxStates } : {}) });
  const keys = new Set<string>();
  let schedules = 0;
  for (let run = dfs.nextRun(); run; run = dfs.nextRun()) {
    const strategy = run;
    const k: Kernel = new Kernel(strategy, 1000, { stuck: () => k.finish() });
    startToyActors(k, [
      ['A', [['obj:x', 'w'], ['obj:y', 'w']]],
      ['B', [['obj:z', 'w'], ['obj:x', 'r']]],
    ]);
    await k.run();
    if (!k.pruned) {
      schedules++;
      const t = new TraceKey();
      k.decisions.forEach((d, i) => t.add(`${d.actor}\u0001${d.seq}\u0001${d.label}\u0001`, run.recorder!.step(i)));
      keys.add(t.key);
    }
    dfs.endRun(run);
  }
  return { schedules, traces: dfs.traces, pruned: dfs.prunedRuns, keys, full: dfs.statesFull };
}

describe('DFS with reduction on two actors', () => {
  it('counts 20 schedules and 2 traces without pruning, and runs one schedule per trace with it', async () => {
    const full = await searchTwoActors(Infinity, false);
    expect(full.schedules).toBe(20);
    expect(full.traces).toBe(2);
    const reduced = await searchTwoActors(Infinity, true);
    expect(reduced.traces).toBe(2);
    // Pruning happens at a decision; a run whose last two steps (the two ends) are swapped reaches an explored state only after its last one.
    expect(reduced.schedules).toBeLessThanOrEqual(4);
    expect(reduced.pruned).toBeGreaterThan(0);
    expect(reduced.keys).toEqual(full.keys);
  });

  it('with its table of states full, prunes less and loses no trace', async () => {
    const full = await searchTwoActors(Infinity, false);
    const roomy = await searchTwoActors(Infinity, true);
    const tight = await searchTwoActors(Infinity, true, 3);
    expect(roomy.full).toBe(false);
    expect(tight.full).toBe(true);
    expect(tight.keys).toEqual(full.keys);
    expect(tight.schedules).toBeGreaterThan(roomy.schedules);
    expect(tight.schedules).toBeLessThanOrEqual(full.schedules);
  });

  it.each([0, 1, 2])('loses no trace of the unreduced search within %i preemption(s)', async (bound) => {
    const full = await searchTwoActors(bound, false);
    const reduced = await searchTwoActors(bound, true);
    expect(reduced.keys).toEqual(full.keys);
    expect(reduced.schedules).toBeLessThanOrEqual(full.schedules);
  });
});

describe('DFS with reduction on pr-15158', () => {
  const scenario = openScenario('pr-15158').expand(['evaluators=1']).run;
  const search = (profile: string, preemptions: number, reduction: ReductionMode) =>
    explore({ scenario, profile: profileByName(profile), seed: 1, strategy: 'dfs', preemptions, all: true, maxSchedules: 100_000, timeLimitMs: 60_000, reduction });
  const findings = (r: Awaited<ReturnType<typeof search>>): string[] => r.findings.map((f) => `${f.signature.kind}: ${f.signature.message}`).sort();

  it.each(['nix-2.33', 'nix-2.35'])('%s, bound 1: the same findings and traces with and without it, in fewer schedules', async (profile) => {
    const full = await search(profile, 1, 'count');
    const reduced = await search(profile, 1, 'prune');
    expect(full.stoppedBy).toBe('exhausted');
    expect(reduced.stoppedBy).toBe('exhausted');
    expect(findings(reduced)).toEqual(findings(full));
    expect(reduced.reduction!.traces).toBe(full.reduction!.traces);
    expect(reduced.schedules).toBeLessThan(full.schedules);
    expect(reduced.schedules).toBeLessThanOrEqual(Math.ceil(full.reduction!.traces * 1.1));
  });

  it('without a bound, the search ends: exhausted, with nix-2.33’s finding and none on nix-2.35', async () => {
    const bad = await search('nix-2.33', Infinity, 'prune');
    expect(bad.stoppedBy).toBe('exhausted');
    expect(findings(bad).some((f) => f.startsWith('invalid-reference:'))).toBe(true);
    const good = await search('nix-2.35', Infinity, 'prune');
    expect(good.stoppedBy).toBe('exhausted');
    expect(good.findings).toEqual([]);
    // The bounded search is a part of the unbounded one.
    const bounded = await search('nix-2.35', 1, 'prune');
    expect(good.reduction!.traces).toBeGreaterThan(bounded.reduction!.traces);
  });
});
