/** explore's stop conditions and progress, with an injected clock; replay divergence after a change. */
import { describe, expect, it } from 'vitest';
import { explore, type ExploreProgress } from '../../../src/runtime/sim/explore.js';
import { SimRuntime } from '../../../src/runtime/sim/simRuntime.js';
import { ReplayStrategy } from '../../../src/runtime/sim/strategies/replay.js';
import { profileByName } from '../../../src/scenarios/index.js';
import { tinyScenario } from '../../fixtures/scenarios.js';

/** A clock that advances `step` ms every time it is read. */
const ticking = (step: number): (() => number) => {
  let t = 0;
  return () => (t += step);
};

describe('explore', () => {
  it('stops at the time limit, measured on the injected clock', async () => {
    const r = await explore({ scenario: tinyScenario, profile: profileByName('nix-2.35'), seed: 1, strategy: 'random', timeLimitMs: 2500, clock: ticking(1000) });
    expect(r.stoppedBy).toBe('time-limit');
    expect(r.schedules).toBeLessThanOrEqual(2);
  });

  it('stops at the schedule budget', async () => {
    const r = await explore({ scenario: tinyScenario, profile: profileByName('nix-2.35'), seed: 1, strategy: 'random', maxSchedules: 7 });
    expect(r.schedules).toBeLessThanOrEqual(7);
    expect(['max-schedules', 'finding']).toContain(r.stoppedBy);
  });

  it('reports progress with the PCT guarantee (it grows with runs; a longer run seen lowers it, as k grows)', async () => {
    const seen: ExploreProgress[] = [];
    const r = await explore({ scenario: tinyScenario, profile: profileByName('nix-2.35'), seed: 2, strategy: 'pct', maxSchedules: 20, all: true, clock: ticking(300), onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(5);
    const bounds = seen.map((p) => p.pctBound!);
    expect(bounds.every((b) => b > 0 && b <= 1)).toBe(true);
    expect(bounds.at(-1)!).toBeGreaterThan(bounds[0]!);
    expect(r.pct!.bound).toBeGreaterThanOrEqual(bounds.at(-1)!);
  });

  it('with --all, keeps going and collects each distinct finding once', async () => {
    const r = await explore({ scenario: tinyScenario, profile: profileByName('nix-2.8'), seed: 1, strategy: 'dfs', preemptions: 1, all: true, maxSchedules: 20_000 });
    expect(r.stoppedBy).toBe('exhausted'); // 8,781 schedules at bound 1 when last measured
    const messages = r.findings.map((f) => f.signature.message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(messages.length).toBeGreaterThanOrEqual(2); // "cannot build missing derivation" and the worker's abort (deleted between check and root, §12.3)
  });
});

describe('replay after a change', () => {
  it('says where a schedule diverged when a step label no longer matches, and still follows it', async () => {
    const rt = new SimRuntime();
    const r = await rt.run(tinyScenario, profileByName('nix-2.35'), 3);
    const changed = r.sim.schedule.map((d, i) => (i === 5 ? { ...d, label: `${d.label}.renamed` } : d));
    const replay = new ReplayStrategy(changed);
    const again = await rt.run(tinyScenario, profileByName('nix-2.35'), 3, replay);
    expect(replay.divergence?.index).toBe(5);
    expect(replay.divergence?.expected.label).toMatch(/\.renamed$/);
    expect(again.sim.eventHash).toBe(r.sim.eventHash);
  });
});
