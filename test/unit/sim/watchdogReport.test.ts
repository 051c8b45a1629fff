/**
 * The sim's liveness findings say why the run was stopped and, for each live
 * actor, what it waits for (its parks) and what it holds: a deadlock (nothing
 * can run) and a spent step budget (something could) read differently.
 */
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../../src/runtime/sim/simRuntime.js';
import { openScenario, profileByName } from '../../../src/scenarios/index.js';
import { gcLockStuck, mutualWait } from '../../fixtures/scenarios.js';

describe('sim watchdog report', () => {
  it('a deadlock names what each live actor waits for', async () => {
    const r = await new SimRuntime().run(mutualWait, profileByName('nix-2.35'), 1);
    expect(r.findings).toHaveLength(1);
    const m = r.findings[0]!.message;
    expect(m).toMatch(/^no progress: every live actor is blocked; still running A \(pid \d+\), B \(pid \d+\)/);
    expect(m).toMatch(/A \(pid \d+\) waits for the exit of B and its daemon workers; holds no lock/);
    expect(m).toMatch(/B \(pid \d+\) waits for the exit of A and its daemon workers; holds no lock/);
  });

  it('a flock wait names the file, the mode and who holds it', async () => {
    const m = (await new SimRuntime().run(gcLockStuck, profileByName('nix-2.35'), 2)).findings[0]!.message;
    expect(m).toMatch(/H \(pid \d+\) waits for flock gc\.lock \(exclusive\), held by G \(pid \d+\) \(exclusive\); holds no lock/);
    expect(m).toMatch(/G \(pid \d+\) waits for barrier 'never' \(1 of 2 parties arrived: G; still to come: G\); holds gc\.lock \(exclusive\)/);
  });

  it('a spent step budget says so, with the budget, and is not reported as blocked', async () => {
    const pr = openScenario('pr-15158').expand([]).run;
    const r = await new SimRuntime({ maxSteps: 25 }).run(pr, profileByName('nix-2.35'), 3);
    expect(r.sim.decisions).toBe(25);
    const f = r.findings.find((x) => x.kind === 'deadlock');
    expect(f?.message).toMatch(/^step budget of 25 decisions exhausted; still running /);
    expect(f?.message).toMatch(/could go on at '[^']+'/);
    expect(f?.message).not.toMatch(/every live actor is blocked/);
  });
});
