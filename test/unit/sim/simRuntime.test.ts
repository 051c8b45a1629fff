/**
 * The sim runtime hosting the real actors in one thread: the same seed gives
 * the same event stream (100 of 100), a recorded schedule replays to the same
 * hash, kill -9 goes through the kernel's cleanup, and a deadlock is a finding.
 */
import { describe, expect, it } from 'vitest';
import { SimRuntime } from '../../../src/runtime/sim/simRuntime.js';
import { ReplayStrategy } from '../../../src/runtime/sim/strategies/replay.js';
import { openScenario, profileByName } from '../../../src/scenarios/index.js';
import { killWorker, mutualWait } from '../../fixtures/scenarios.js';

const pr15158 = openScenario('pr-15158').expand(['evaluators=2']).run;
const rt = new SimRuntime({ record: true });

describe('sim runtime', () => {
  it('the same seed gives the same event-stream hash in 100 of 100 runs', async () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 100; i++) hashes.add((await rt.run(pr15158, profileByName('nix-2.33'), 4242)).sim.eventHash);
    expect(hashes.size).toBe(1);
    expect([...hashes][0]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('different seeds give different interleavings (the hash is not constant)', async () => {
    const hashes = new Set<string>();
    for (let s = 0; s < 20; s++) hashes.add((await rt.run(pr15158, profileByName('nix-2.35'), s)).sim.eventHash);
    expect(hashes.size).toBeGreaterThan(10);
  });

  it('replaying a run from its recorded decisions gives the same hash, with no divergence', async () => {
    const r = await rt.run(pr15158, profileByName('nix-2.33'), 99);
    const replay = new ReplayStrategy(r.sim.schedule);
    const again = await rt.run(pr15158, profileByName('nix-2.33'), 99, replay);
    expect(again.sim.eventHash).toBe(r.sim.eventHash);
    expect(replay.divergence).toBeNull();
    expect(replay.beyond).toBe(0);
  });

  it('events carry virtual time only: increasing µs, never wall-clock', async () => {
    const r = await rt.run(pr15158, profileByName('nix-2.33'), 5);
    const ts = (r.recorded ?? []).map((e) => e.t);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1]!)).toBe(true);
    expect(Math.max(...ts)).toBe(r.sim.virtualUs);
  });

  it('kill -9 of a daemon worker: its flocks drop, the next GC finds its file stale and collects the drv', async () => {
    for (const profile of ['nix-2.35', 'nix-2.8']) {
      for (let s = 0; s < 10; s++) {
        const r = await rt.run(killWorker, profileByName(profile), s);
        const events = r.recorded ?? [];
        const worker = events.find((e) => e.type === 'inspect.process.start' && e.role === 'daemonWorker')!;
        const exit = events.find((e) => e.type === 'inspect.process.exit' && e.pid === worker.pid);
        const stale = events.find((e) => e.type === 'inspect.tempRoots.stale' && e.file === worker.pid);
        expect(r.findings).toEqual([]);
        expect(exit).toMatchObject({ cause: 'terminated' });
        expect(stale!.seq).toBeGreaterThan(exit!.seq);
        expect(r.finalStore.valid.some((n) => n.endsWith('-foo.drv'))).toBe(false);
      }
    }
  });

  it('a deadlock ends the run with a deadlock finding naming who still runs', async () => {
    const r = await rt.run(mutualWait, profileByName('nix-2.35'), 1);
    expect(r.findings.map((f) => f.kind)).toEqual(['deadlock']);
    expect(r.findings[0]!.message).toMatch(/still running A \(pid \d+\), B \(pid \d+\)/);
  });
});
