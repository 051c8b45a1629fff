/**
 * A timing-dependent race with no barriers: `nix-instantiate` writes foo.drv
 * and exits, `nix-store -r` waits for it and then builds foo, and a concurrent
 * `nix-collect-garbage` may collect the unrooted drv in between. Explore finds
 * the missing-derivation failure; shrinking reduces it to the few switches
 * that matter (at most 3).
 */
import { describe, expect, it } from 'vitest';
import { ReplayStrategy, SimRuntime, explore, shrink } from '../../dist/src/runtime/index.js';
import { profileByName } from '../../dist/src/scenarios/index.js';
import { tinyScenario } from '../fixtures/scenarios.js';

const race = tinyScenario;

describe('instantiate-then-realise with a concurrent GC', () => {
  it('most schedules are fine: the race depends on timing', async () => {
    const rt = new SimRuntime();
    let bad = 0;
    for (let s = 0; s < 50; s++) if ((await rt.run(race, profileByName('nix-2.35'), s)).findings.length > 0) bad++;
    expect(bad).toBeLessThan(50);
  });

  it.each([
    ['nix-2.35', 'pct', /^failed to obtain derivation of '\/nix\/store\/[0-9a-z]{32}-foo\.drv'$/],
    ['nix-2.8', 'pct', /^cannot build missing derivation '\/nix\/store\/[0-9a-z]{32}-foo\.drv'$/],
    ['nix-2.35', 'dfs', /foo\.drv/],
  ] as const)('%s, %s: explore finds the missing derivation; shrink leaves at most 3 switches', async (profile, strategy, text) => {
    // `all`: the same race also kills the worker when the GC lands between the goal's check and root (§12.3).
    const r = await explore({ scenario: race, profile: profileByName(profile), seed: 1, strategy, maxSchedules: 2000, all: true });
    const f = r.findings.find((x) => x.signature.kind === 'missing-derivation')!;
    expect(f.signature.kind).toBe('missing-derivation');
    expect(f.signature.message).toMatch(text);
    expect(f.deterministic).toBe(true);
    const s = await shrink({ schedule: f.schedule, timeLimitMs: 30_000 });
    expect(s.reproduced).toBe(true);
    expect(s.after.preemptions).toBeLessThanOrEqual(3);
    expect(s.after.processSwitches).toBeLessThanOrEqual(3);
    const again = await new SimRuntime().run(race, profileByName(profile), s.schedule.seed, new ReplayStrategy(s.schedule.decisions));
    expect(again.findings.map((x) => x.message)).toContain(f.signature.message);
    expect(again.sim.eventHash).toBe(s.schedule.eventHash);
  });

  it('a random-strategy finding with many preemptions shrinks to a third of them', async () => {
    // On 2.8 random search first finds W(I)'s root lost in G's bind window (ENOENT swallowed, §12.4): a GC-safety
    // violation that needs G and W(I) to alternate several times, so it cannot shrink as far as a check-then-use race.
    const r = await explore({ scenario: race, profile: profileByName('nix-2.8'), seed: 1, strategy: 'random', maxSchedules: 5000 });
    const f = r.findings[0]!;
    expect(f.schedule.preemptions).toBeGreaterThan(9);
    const s = await shrink({ schedule: f.schedule, timeLimitMs: 30_000 });
    expect(s.reproduced).toBe(true);
    expect(s.after.preemptions * 3).toBeLessThanOrEqual(s.before.preemptions);
    expect(s.after.processSwitches).toBeLessThan(s.before.processSwitches);
    expect(s.after.contextSwitches).toBeLessThan(s.before.contextSwitches);
  });
});
