/**
 * Faults under explore (issue #15 item 3): crashing the chosen actor's process
 * is one more scheduling choice; the crash is a decision of the schedule, so
 * replay (and shrink) reproduce it exactly.
 */
import { describe, expect, it } from 'vitest';
import { ReplayStrategy, SimRuntime, explore, parseSchedule, scheduleToJson, shrink } from '../../dist/src/runtime/index.js';
import { openScenario, profilesFor } from '../../dist/src/scenarios/index.js';

const scenario = (name: string) => {
  const x = openScenario(name).expand();
  const [profile] = profilesFor(x, ['nix-2.35'], []);
  return { run: x.run, profile: profile! };
};

describe('explore --faults', () => {
  it('DFS without preemptions, SIGTERM: finds the roots-server abort (#15962); the schedule file replays the crash', async () => {
    const s = scenario('pending-ack-after-deletion');
    const r = await explore({ scenario: s.run, profile: s.profile, seed: 1, strategy: 'dfs', preemptions: 0, faults: ['term'], maxCrashes: 1 });
    expect(r.faults).toEqual({ signals: ['term'], maxCrashes: 1 });
    const f = r.findings[0]!;
    expect(f.signature.kind).toBe('process-aborted');
    expect(f.signature.message).toMatch(/^G \(pid \d+\) aborted: terminate called after throwing an instance of 'nix::Interrupted'/);
    expect(f.deterministic).toBe(true);
    expect(f.schedule.strategy).toBe('dfs+faults');
    expect(f.schedule.decisions.filter((d) => d.fault)).toEqual([{ actor: 'G', label: 'roots.received', seq: expect.any(Number), fault: 'term' }]);
    // Through the file and back: the fault survives, and the replay is the same run.
    const back = parseSchedule(scheduleToJson(f.schedule), 'test');
    expect(back.decisions).toEqual(f.schedule.decisions);
    const again = await new SimRuntime({ record: true }).run(back.scenario, back.profile, back.seed, new ReplayStrategy(back.decisions));
    expect(again.sim.eventHash).toBe(f.schedule.eventHash);
    expect(again.recorded!.filter((e) => e.type === 'inspect.crash')).toMatchObject([{ actor: 'G', signal: 'term', label: 'roots.received' }]);
    const small = await shrink({ schedule: f.schedule, timeLimitMs: 10_000 });
    expect(small.reproduced).toBe(true);
    expect(small.schedule.decisions.some((d) => d.fault === 'term')).toBe(true);
  });

  it('a client failing on its dead worker is the crash, not a finding: pr-15158 on nix-2.35 explores clean with up to 2 crashes', async () => {
    const s = scenario('pr-15158');
    const r = await explore({ scenario: s.run, profile: s.profile, seed: 1, strategy: 'pct', faults: ['kill', 'term'], maxCrashes: 2, maxSchedules: 300, all: true });
    expect(r.schedules).toBe(300);
    expect(r.findings).toEqual([]);
  });

  it('PCT with faults is deterministic per seed, and crashes happen (at most k per schedule)', async () => {
    const s = scenario('pr-15158');
    const rt = new SimRuntime();
    const { PctStrategy } = await import('../../dist/src/runtime/sim/strategies/pct.js');
    const { FaultStrategy } = await import('../../dist/src/runtime/sim/strategies/faults.js');
    let crashed = 0;
    for (let seed = 0; seed < 40; seed++) {
      const make = () => new FaultStrategy(new PctStrategy(seed, 3, 150), seed, { signals: ['kill', 'term'], maxCrashes: 2, steps: 150 });
      const a = await rt.run(s.run, s.profile, seed, make());
      const b = await rt.run(s.run, s.profile, seed, make());
      expect(a.sim.eventHash).toBe(b.sim.eventHash);
      const faults = a.sim.schedule.filter((d) => d.fault).length;
      expect(faults).toBeLessThanOrEqual(2);
      expect(a.sim.heldAtEnd).toEqual([]);
      if (faults > 0) crashed++;
    }
    expect(crashed).toBeGreaterThan(20);
  });
});
