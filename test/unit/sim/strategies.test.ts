/**
 * Strategies against hand-built choices and an independent oracle: bounded DFS
 * must run every schedule of a toy program with at most b preemptions, each
 * exactly once, where the oracle enumerates all interleavings by brute force.
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../../src/runtime/sim/kernel.js';
import { DfsExplorer } from '../../../src/runtime/sim/strategies/dfs.js';
import { PctStrategy, pctBound } from '../../../src/runtime/sim/strategies/pct.js';
import { RandomStrategy } from '../../../src/runtime/sim/strategies/random.js';
import { ReplayStrategy } from '../../../src/runtime/sim/strategies/replay.js';
import { defaultChoice, isPreemption, type Choice, type Strategy } from '../../../src/runtime/sim/strategies/strategy.js';
import type { ParkKind, Task } from '../../../src/runtime/sim/task.js';

const task = (actor: string, kind: ParkKind = 'step', group = actor, seq = 0): Task => ({ actor, group, actorIndex: actor.charCodeAt(0), label: kind, seq, kind });
const choice = (tasks: Task[], previous: string | null, previousGroup = previous): Choice => ({ tasks, previous, previousGroup, step: 1 });

/** Runs a toy program: each actor takes `steps[i]` always-runnable steps. Returns the actor order of its decisions. */
async function toy(strategy: Strategy, steps: readonly number[]): Promise<string> {
  let live = steps.length;
  const k: Kernel = new Kernel(strategy, 1000, { stuck: () => k.finish() });
  steps.forEach((n, i) => {
    const a = k.newActor(String.fromCharCode(65 + i), String.fromCharCode(65 + i));
    k.spawn(a, async () => {
      for (let j = 0; j < n; j++) await k.park(a, 'step', `s${j}`);
    }, () => {
      k.bury(a);
      if (--live === 0) k.finish();
    });
  });
  await k.run();
  return k.decisions.map((d) => d.actor).join('');
}

/** Every interleaving of the actors' decisions (each actor: its steps plus its exit). */
function interleavings(counts: readonly number[]): string[] {
  const out: string[] = [];
  const go = (left: number[], acc: string): void => {
    if (left.every((n) => n === 0)) return void out.push(acc);
    left.forEach((n, i) => {
      if (n > 0) go(left.map((m, j) => (j === i ? m - 1 : m)), acc + String.fromCharCode(65 + i));
    });
  };
  go(counts.map((n) => n + 1), '');
  return out;
}

/** Preemptions of an interleaving: switching away from an actor that still had decisions left. */
function preemptions(s: string): number {
  let n = 0;
  for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1] && s.slice(i).includes(s[i - 1]!)) n++;
  return n;
}

describe('preemption accounting', () => {
  it('switching away from a runnable actor preempts; from a blocked one it does not', () => {
    expect(isPreemption(choice([task('A'), task('B')], 'A'), task('B'))).toBe(true);
    expect(isPreemption(choice([task('B'), task('C')], 'A'), task('B'))).toBe(false);
  });

  it('a client blocked on its own daemon worker hands over to it; going elsewhere preempts', () => {
    const worker = task('W', 'step', 'E1');
    const other = task('E2', 'step', 'E2');
    const c = choice([worker, other], 'E1', 'E1');
    expect(isPreemption(c, worker)).toBe(false);
    expect(isPreemption(c, other)).toBe(true);
    expect(c.tasks[defaultChoice(c)]).toBe(worker);
  });

  it('a busy-wait retry is left for free, and staying on it while others could run preempts', () => {
    const spin = task('A', 'yield');
    const c = choice([spin, task('B')], 'A');
    expect(isPreemption(c, task('B'))).toBe(false);
    expect(isPreemption(c, spin)).toBe(true);
    expect(c.tasks[defaultChoice(c)]!.actor).toBe('B');
  });
});

describe('bounded DFS', () => {
  it.each([0, 1, 2, 3])('runs every schedule with at most %i preemptions exactly once (brute-force oracle)', async (b) => {
    const counts = [2, 2, 1];
    const expected = interleavings(counts).filter((s) => preemptions(s) <= b).sort();
    const dfs = new DfsExplorer(b);
    const seen: string[] = [];
    for (let run = dfs.nextRun(); run; run = dfs.nextRun()) {
      seen.push(await toy(run, counts));
      dfs.endRun(run);
    }
    expect(seen.sort()).toEqual(expected);
    expect(dfs.exhausted).toBe(true);
  });
});

describe('random, PCT and replay', () => {
  it('random is a function of its seed', async () => {
    const a = await toy(new RandomStrategy(42), [3, 3, 3]);
    expect(await toy(new RandomStrategy(42), [3, 3, 3])).toBe(a);
    const others = new Set<string>();
    for (let s = 0; s < 20; s++) others.add(await toy(new RandomStrategy(s), [3, 3, 3]));
    expect(others.size).toBeGreaterThan(5);
  });

  it('PCT with depth 1 runs actors one at a time, in a random priority order', async () => {
    for (let s = 0; s < 10; s++) expect(preemptions(await toy(new PctStrategy(s, 1, 20), [3, 3, 3]))).toBe(0);
  });

  it('PCT with depth d changes priority at most d−1 times', async () => {
    for (let s = 0; s < 30; s++) expect(preemptions(await toy(new PctStrategy(s, 3, 12), [3, 3, 3]))).toBeLessThanOrEqual(2);
  });

  it("PCT's guarantee grows with runs and shrinks with depth", () => {
    expect(pctBound(1, 4, 100, 1)).toBeCloseTo(0.25);
    expect(pctBound(1, 4, 100, 2)).toBeCloseTo(1 / 400);
    expect(pctBound(1000, 4, 100, 2)).toBeGreaterThan(0.9);
  });

  it('replay retakes a recorded schedule and reports where a changed program diverges', async () => {
    const k = await toy(new RandomStrategy(7), [3, 3]);
    const schedule = [...k].map((actor, i) => ({ actor, seq: [...k.slice(0, i)].filter((x) => x === actor).length, label: '' }));
    // Labels differ (s0, s1, …): the replay follows actor and sequence, and says it diverged at the first decision.
    const replay = new ReplayStrategy(schedule);
    expect(await toy(replay, [3, 3])).toBe(k);
    expect(replay.divergence?.index).toBe(0);
  });
});
