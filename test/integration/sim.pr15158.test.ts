/**
 * pr-15158 in the sim runtime: the same verdicts as the threads runtime, found
 * by explore on nix-2.33 and not on nix-2.35 within the same budget, DFS that
 * completes exhaustively within a preemption bound, schedules that replay to
 * the same event hash from a file, and shrinking.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayStrategy, SimRuntime, ThreadsRuntime, explore, parseSchedule, scheduleToJson, shrink } from '../../dist/src/runtime/index.js';
import { openScenario, profileByName } from '../../dist/src/scenarios/index.js';

const scenario = (evaluators: number) => openScenario('pr-15158').expand([`evaluators=${evaluators}`]).run;
const hostsLost = /^path '\/nix\/store\/[0-9a-df-np-sv-z]{32}-hosts\.drv' is not valid$/;
const sim = new SimRuntime();
const threads = new ThreadsRuntime({ timeoutMs: 20_000 });
afterAll(() => threads.close());

describe('sim conformance with threads', () => {
  it.each([2, 8])('%i evaluators, 20 seeds: nix-2.33 fails in every run with Nix text; nix-2.8/2.34/2.35 never', async (n) => {
    const s = scenario(n);
    for (let seed = 0; seed < 20; seed++) {
      const bad = await sim.run(s, profileByName('nix-2.33'), seed);
      expect(bad.findings.some((f) => f.kind === 'invalid-reference' && hostsLost.test(f.message))).toBe(true);
      for (const p of ['nix-2.8', 'nix-2.34', 'nix-2.35']) expect((await sim.run(s, profileByName(p), seed)).findings).toEqual([]);
    }
  });

  it('gives the threads runtime’s verdict per profile on the same seeds', async () => {
    const s = scenario(2);
    for (const p of ['nix-2.8', 'nix-2.33', 'nix-2.34', 'nix-2.35']) {
      for (let seed = 0; seed < 3; seed++) {
        const kinds = (r: { findings: readonly { kind: string }[] }) => [...new Set(r.findings.map((f) => f.kind))].sort();
        expect(kinds(await sim.run(s, profileByName(p), seed))).toEqual(kinds(await threads.run(s, profileByName(p), seed)));
      }
    }
  });
});

describe('explore', () => {
  const budget = { maxSchedules: 300, timeLimitMs: 60_000 };
  it.each(['pct', 'random', 'dfs'] as const)('%s: finds the pr-15158 finding on nix-2.33 and none on nix-2.35 within the same budget', async (strategy) => {
    const found = await explore({ scenario: scenario(2), profile: profileByName('nix-2.33'), seed: 3, strategy, ...budget });
    expect(found.stoppedBy).toBe('finding');
    expect(found.findings[0]!.signature.message).toMatch(hostsLost);
    expect(found.findings[0]!.deterministic).toBe(true);
    expect(found.findings[0]!.replayHashes).toEqual([found.findings[0]!.schedule.eventHash, found.findings[0]!.schedule.eventHash]);
    const none = await explore({ scenario: scenario(2), profile: profileByName('nix-2.35'), seed: 3, strategy, ...budget });
    expect(none.findings).toEqual([]);
    expect(none.schedules).toBeGreaterThan(found.schedules);
  });
});

describe('bounded DFS', () => {
  it('completes exhaustively within 1 preemption on 1 evaluator, the same count every time', async () => {
    const a = await explore({ scenario: scenario(1), profile: profileByName('nix-2.35'), seed: 1, strategy: 'dfs', preemptions: 1, maxSchedules: 1_000_000, all: true });
    const b = await explore({ scenario: scenario(1), profile: profileByName('nix-2.35'), seed: 1, strategy: 'dfs', preemptions: 1, maxSchedules: 1_000_000, all: true });
    expect(a.stoppedBy).toBe('exhausted');
    expect(b.schedules).toBe(a.schedules);
    const zero = await explore({ scenario: scenario(1), profile: profileByName('nix-2.35'), seed: 1, strategy: 'dfs', preemptions: 0, maxSchedules: 1_000_000, all: true });
    expect(zero.stoppedBy).toBe('exhausted');
    expect(a.schedules).toBeGreaterThan(zero.schedules);
  });

  // At bound 1 the 2-evaluator variant has 73,038 schedules (30,684 traces): ~2 min unloaded, longer
  // than a test may take on a loaded CI machine; the bench measures it (bench/reduction.bench.ts).
  it('completes exhaustively without preemptions on the 2-evaluator variant: no finding on nix-2.35', async () => {
    const r = await explore({ scenario: scenario(2), profile: profileByName('nix-2.35'), seed: 1, strategy: 'dfs', preemptions: 0, maxSchedules: 1_000_000, all: true });
    expect(r.stoppedBy).toBe('exhausted');
    expect(r.findings).toEqual([]);
    expect(r.schedules).toBeGreaterThan(1);
  });
});

describe('schedules', () => {
  it('a schedule written to a file replays to the same event hash', async () => {
    const found = await explore({ scenario: scenario(2), profile: profileByName('nix-2.33'), seed: 11, strategy: 'random', maxSchedules: 50 });
    const f = found.findings[0]!;
    const file = join(mkdtempSync(join(tmpdir(), 'rootrace-sim-')), 'f.json');
    writeFileSync(file, scheduleToJson(f.schedule));
    const s = parseSchedule(readFileSync(file, 'utf8'), file);
    const r = await new SimRuntime().run(s.scenario, s.profile, s.seed, new ReplayStrategy(s.decisions));
    expect(r.sim.eventHash).toBe(f.schedule.eventHash);
  });

  it('shrinking keeps the finding and removes preemptions', async () => {
    const found = await explore({ scenario: scenario(2), profile: profileByName('nix-2.33'), seed: 11, strategy: 'random', maxSchedules: 50 });
    const f = found.findings[0]!;
    expect(f.schedule.preemptions).toBeGreaterThan(3);
    const r = await shrink({ schedule: f.schedule, timeLimitMs: 30_000 });
    expect(r.reproduced).toBe(true);
    expect(r.after.preemptions).toBeLessThan(r.before.preemptions);
    expect(r.after.processSwitches).toBeLessThanOrEqual(r.before.processSwitches);
    const again = await new SimRuntime().run(r.schedule.scenario, r.schedule.profile, r.schedule.seed, new ReplayStrategy(r.schedule.decisions));
    expect(again.sim.eventHash).toBe(r.schedule.eventHash);
    expect(again.findings.some((x) => x.message === f.signature.message)).toBe(true);
  });
});
