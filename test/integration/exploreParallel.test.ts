/**
 * explore --jobs (sim/parallelExplore.ts) is the sequential search on several
 * threads. DFS: on pr-15158 it ends exhausted with the same findings and the
 * same distinct traces, every share does some of the work, and a finding from
 * a share replays to the same events; without --all the first finding stops
 * the other threads. PCT and random: J threads run one thread's schedules and
 * report each finding at the same schedule number and seed.
 */
import { describe, expect, it } from 'vitest';
import { explore, exploreParallel, type ExploreOptions, type ExploreReport } from '../../dist/src/runtime/index.js';
import { SimRuntime } from '../../dist/src/runtime/sim/simRuntime.js';
import { ReplayStrategy } from '../../dist/src/runtime/sim/strategies/replay.js';
import { hashEvents } from '../../dist/src/runtime/sim/eventHash.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';

const options = (evaluators: number, profile: string, preemptions: number, all: boolean): ExploreOptions => ({
  scenario: openScenario('pr-15158').expand([`evaluators=${evaluators}`]).run,
  profile: profileByName(profile),
  seed: 1,
  strategy: 'dfs',
  preemptions,
  all,
  maxSchedules: 1_000_000,
  timeLimitMs: 120_000,
  reduction: 'prune',
});
const signatures = (r: ExploreReport): string[] => r.findings.map((f) => `${f.signature.kind}: ${f.signature.message}`).sort();

describe('explore --jobs: a DFS on several threads', () => {
  it.each([
    ['nix-2.33', 1, 1],
    ['nix-2.35', 1, Infinity],
    ['nix-2.33', 1, Infinity],
    ['nix-2.33', 2, 0],
  ] as const)('%s, %i evaluator(s), bound %s: exhausted with the same findings and traces as on one thread', async (profile, evaluators, bound) => {
    const o = options(evaluators, profile, bound, true);
    const one = await explore(o);
    // A shallow cut, so that even the small trees are shared out.
    const two = await exploreParallel({ ...o, jobs: 2, cutDepth: 3 });
    expect(one.stoppedBy).toBe('exhausted');
    expect(two.stoppedBy).toBe('exhausted');
    expect(signatures(two)).toEqual(signatures(one));
    expect(two.reduction!.traces).toBe(one.reduction!.traces);
    expect(two.parallel!.schedulesPerShare).toHaveLength(2);
    expect(two.parallel!.schedulesPerShare.every((n) => n > 0)).toBe(true);
    expect(two.schedules).toBe(two.parallel!.schedulesPerShare.reduce((a, b) => a + b, 0));
    for (const f of two.findings) expect(f.deterministic).toBe(true);
  });

  it.each(['pct', 'random'] as const)('%s: J threads run the schedules one thread runs, and report each finding at the same schedule and seed', async (strategy) => {
    const o: ExploreOptions = { ...options(2, 'nix-2.33', 1, true), strategy, maxSchedules: 41, seed: 11 };
    const one = await explore(o);
    const two = await exploreParallel({ ...o, jobs: 2 });
    expect(one.schedules).toBe(41);
    expect(two.schedules).toBe(41);
    expect(two.parallel!.schedulesPerShare).toEqual([21, 20]);
    const at = (r: ExploreReport): string[] => r.findings.map((f) => `${f.signature.message} #${f.scheduleNumber} seed ${f.schedule.seed}`);
    expect(at(one).length).toBeGreaterThan(0);
    expect(at(two)).toEqual(at(one));
    if (strategy === 'pct') expect(two.pct!.bound).toBeGreaterThan(0);
  });

  it('without --all it stops at the first finding, and that finding replays from its schedule', async () => {
    const o = options(2, 'nix-2.33', 1, false);
    const r = await exploreParallel({ ...o, jobs: 2, cutDepth: 3 });
    expect(r.stoppedBy).toBe('finding');
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.signature.message).toMatch(/^path '\/nix\/store\/[0-9a-z]{32}-hosts\.drv' is not valid$/);
    const again = await new SimRuntime({ record: true }).run(o.scenario, o.profile, f.schedule.seed, new ReplayStrategy(f.schedule.decisions));
    expect(hashEvents(again.recorded ?? [])).toBe(f.schedule.eventHash);
  });
});
